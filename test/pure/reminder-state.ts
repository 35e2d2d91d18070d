import { DateTime } from 'luxon';
import type {
  Obligation,
  ReminderProject,
  ReminderState,
} from '../../src/reminders/reminder-model.js';

/** A UTC instant from a local-looking ISO string. */
export const utc = (iso: string) => new Date(`${iso}Z`);

/** The end of a local day: due instants are such ends, as addWorkingDays makes them. */
export const endOf = (date: string, zone = 'UTC') =>
  DateTime.fromISO(date, { zone }).endOf('day').toJSDate();

/** Project 1, Tower A: UTC, Monday to Friday, no holidays, digest at 07:00, escalations 3 / 10. */
export function reminderProject(overrides: Partial<ReminderProject> = {}): ReminderProject {
  return {
    id: 1,
    code: 'twr-a',
    name: 'Tower A',
    timezone: 'UTC',
    workingWeekdays: [1, 2, 3, 4, 5],
    holidays: [],
    digestTime: '07:00',
    escalateAfterDays: 3,
    escalateAdminAfterDays: 10,
    ...overrides,
  };
}

/**
 * A maker of review steps Sam owes in project 1, numbered 001, 002 … per maker; `defaults` set
 * what a test file's steps have in common.
 */
export function obligationMaker(
  defaults: Pick<Obligation, 'step' | 'dueAt'>,
): (overrides?: Partial<Obligation>) => Obligation {
  let nextId = 1;
  return (overrides = {}) => {
    const id = nextId++;
    return {
      projectId: 1,
      kind: 'review',
      recordType: 'submittal',
      recordId: id,
      revision: 0,
      number: `03 30 00-${String(id).padStart(3, '0')}.0`,
      title: `Submittal ${id}`,
      holder: 'sam@architect.example',
      holderMemberId: 7,
      since: utc('2026-11-01T10:00:00'),
      threadId: null,
      ...defaults,
      ...overrides,
    };
  };
}

/** Everything the rules read, with project 1 only and nobody paused, bounced or managing. */
export function reminderState(overrides: Partial<ReminderState> = {}): ReminderState {
  return {
    projects: [reminderProject()],
    obligations: [],
    undeliverable: new Set(),
    pausedUntil: new Map(),
    managers: new Map(),
    admins: [],
    ...overrides,
  };
}
