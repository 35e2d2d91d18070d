import type { Db, Project } from '../db/database.js';
import { validateCalendar } from '../calendar/working-days.js';
import { DocketError } from '../errors.js';
import {
  validateResponseAliases,
  RESPONSE_CODES,
  type ResponseCode,
} from '../submittals/review-decision.js';
import { getProjectByCode } from './project.repository.js';

export interface ProjectSettingsChange {
  name?: string;
  timezone?: string;
  senderPolicy?: 'anyone' | 'members';
  workingWeekdays?: number[];
  holidays?: string[];
  reviewDays?: number;
  rfiDays?: number;
  ackDays?: number;
  requireDmarc?: boolean;
  rfiManager?: string | null;
  /** `ALIAS=CODE` pairs added to the project's response aliases; `ALIAS=` removes one. */
  aliases?: string[];
}

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** `mon-fri`, `mon,tue,thu`, `mon-sat` → ISO weekday numbers. */
export function parseWeekdays(input: string): number[] {
  const days = new Set<number>();
  for (const part of input
    .toLowerCase()
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [from, to] = part.split('-').map((d) => WEEKDAYS.indexOf(d.slice(0, 3)) + 1);
    if (!from || (part.includes('-') && !to))
      throw new DocketError('invalid_input', `"${part}" is not a weekday or range like mon-fri`);
    for (let day = from; day <= (to ?? from); day++) days.add(day);
  }
  return [...days].sort();
}

/** Validates and applies a change to a project's settings; returns the project as saved. */
export async function updateProjectSettings(
  db: Db,
  code: string,
  change: ProjectSettingsChange,
): Promise<Project> {
  const project = await getProjectByCode(db, code);
  const calendar = {
    timezone: change.timezone ?? project.timezone,
    workingWeekdays: change.workingWeekdays ?? project.working_weekdays,
    holidays: change.holidays ?? project.holidays,
  };
  validateCalendar(calendar);
  for (const days of [change.reviewDays, change.rfiDays, change.ackDays]) {
    if (days !== undefined && (!Number.isInteger(days) || days < 0 || days > 365)) {
      throw new DocketError(
        'invalid_input',
        `${days} is not a number of working days between 0 and 365`,
      );
    }
  }
  const aliases = { ...(project.response_aliases as Record<string, ResponseCode>) };
  for (const pair of change.aliases ?? []) {
    const [alias, code = ''] = pair.split('=').map((s) => s.trim());
    if (!alias) throw new DocketError('invalid_input', `"${pair}" is not ALIAS=CODE`);
    if (code === '') delete aliases[alias.toUpperCase()];
    else if ((RESPONSE_CODES as readonly string[]).includes(code.toUpperCase()))
      aliases[alias.toUpperCase()] = code.toUpperCase() as ResponseCode;
    else
      throw new DocketError(
        'invalid_input',
        `"${code}" is not a response code (${RESPONSE_CODES.join(', ')})`,
      );
  }
  try {
    validateResponseAliases(aliases);
  } catch (error) {
    throw new DocketError('invalid_input', error instanceof Error ? error.message : String(error));
  }
  return db
    .updateTable('projects')
    .set({
      ...(change.name ? { name: change.name } : {}),
      timezone: calendar.timezone,
      working_weekdays: [...calendar.workingWeekdays],
      holidays: [...calendar.holidays],
      ...(change.senderPolicy ? { sender_policy: change.senderPolicy } : {}),
      ...(change.reviewDays !== undefined ? { review_days: change.reviewDays } : {}),
      ...(change.rfiDays !== undefined ? { rfi_days: change.rfiDays } : {}),
      ...(change.ackDays !== undefined ? { ack_days: change.ackDays } : {}),
      ...(change.requireDmarc !== undefined ? { require_dmarc: change.requireDmarc } : {}),
      ...(change.rfiManager !== undefined
        ? { rfi_manager: change.rfiManager?.toLowerCase() ?? null }
        : {}),
      response_aliases: JSON.stringify(aliases),
    })
    .where('id', '=', project.id)
    .returningAll()
    .executeTakeFirstOrThrow();
}
