import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { digestsDue, escalationsDue } from '../../src/reminders/due-reminders.js';
import { projectDay } from '../../src/reminders/reminder-clock.js';
import type { ReminderProject } from '../../src/reminders/reminder-model.js';
import {
  endOf,
  obligationMaker,
  reminderProject as project,
  reminderState as state,
  utc,
} from './reminder-state.js';

// 2026-12-01 is a Tuesday.
const owed = obligationMaker({ step: 0, dueAt: endOf('2026-11-26') });

const MORNING = utc('2026-12-01T07:05:00');

describe('what the daily digest lists', () => {
  const cases: [
    string,
    Date,
    Partial<ReminderProject>,
    { listed: boolean; daysOverdue?: number },
  ][] = [
    [
      'due last Thursday: 3 working days overdue',
      endOf('2026-11-26'),
      {},
      { listed: true, daysOverdue: 3 },
    ],
    [
      'due yesterday: 1 working day overdue',
      endOf('2026-11-30'),
      {},
      { listed: true, daysOverdue: 1 },
    ],
    [
      'due last Friday, weekend between: 2 overdue',
      endOf('2026-11-27'),
      {},
      { listed: true, daysOverdue: 2 },
    ],
    ['due today', endOf('2026-12-01'), {}, { listed: true, daysOverdue: 0 }],
    ['due in two working days', endOf('2026-12-03'), {}, { listed: true, daysOverdue: 0 }],
    ['due in three working days: not yet', endOf('2026-12-04'), {}, { listed: false }],
    [
      'due in three days with a holiday between',
      endOf('2026-12-04'),
      { holidays: ['2026-12-02'] },
      { listed: true, daysOverdue: 0 },
    ],
    ['due next Monday from a Thursday', endOf('2026-12-07'), {}, { listed: false }],
    [
      'overdue across a holiday counts only working days',
      endOf('2026-11-26'),
      { holidays: ['2026-11-27'] },
      { listed: true, daysOverdue: 2 },
    ],
  ];
  it.each(cases)('%s', (_name, dueAt, settings, expected) => {
    const due = digestsDue(
      state({ projects: [project(settings)], obligations: [owed({ dueAt })] }),
      MORNING,
    );
    if (!expected.listed) return expect(due).toEqual([]);
    expect(due).toHaveLength(1);
    expect(due[0]?.sections[0]?.lines[0]?.daysOverdue).toBe(expected.daysOverdue);
  });

  it('counts the working days left on what is not yet due', () => {
    const [digest] = digestsDue(
      state({
        obligations: [owed({ dueAt: endOf('2026-12-01') }), owed({ dueAt: endOf('2026-12-03') })],
      }),
      MORNING,
    );
    expect(digest?.sections[0]?.lines.map((l) => [l.overdue, l.daysLeft])).toEqual([
      [false, 0],
      [false, 2],
    ]);
  });

  it('names the person, the job and the local date of the project', () => {
    const [digest] = digestsDue(state({ obligations: [owed()] }), MORNING);
    expect(digest).toMatchObject({
      job: 'digest',
      person: 'sam@architect.example',
      localDate: '2026-12-01',
      homeProjectId: 1,
    });
  });
});

describe('when the digest goes out', () => {
  const cases: [string, Date, Partial<ReminderProject>, boolean][] = [
    ['before the morning', utc('2026-12-01T06:55:00'), {}, false],
    ['at the morning', utc('2026-12-01T07:00:00'), {}, true],
    ['later the same day (a restart catches up)', utc('2026-12-01T16:00:00'), {}, true],
    ['a Saturday', utc('2026-12-05T07:05:00'), {}, false],
    ['a Sunday', utc('2026-12-06T07:05:00'), {}, false],
    ['a holiday', MORNING, { holidays: ['2026-12-01'] }, false],
    [
      'a Saturday in a Mon–Sat project',
      utc('2026-12-05T07:05:00'),
      { workingWeekdays: [1, 2, 3, 4, 5, 6] },
      true,
    ],
    ['a later digest time not reached', MORNING, { digestTime: '08:30' }, false],
    ['a later digest time reached', utc('2026-12-01T08:30:00'), { digestTime: '08:30' }, true],
    // 07:05 UTC is 08:05 in Berlin and 02:05 in New York.
    ['in Berlin', MORNING, { timezone: 'Europe/Berlin' }, true],
    ['in New York, before its morning', MORNING, { timezone: 'America/New_York' }, false],
    [
      'in New York, at its morning',
      utc('2026-12-01T12:00:00'),
      { timezone: 'America/New_York' },
      true,
    ],
  ];
  it.each(cases)('%s', (_name, now, settings, sends) => {
    const due = digestsDue(state({ projects: [project(settings)], obligations: [owed()] }), now);
    expect(due.length).toBe(sends ? 1 : 0);
  });
});

describe('one digest per person', () => {
  it('lists every item of every project in one mail, grouped by project', () => {
    const berlin = project({ id: 2, code: 'ber', name: 'Berlin', timezone: 'Europe/Berlin' });
    const due = digestsDue(
      state({
        projects: [project(), berlin],
        obligations: [
          owed({ number: 'A' }),
          owed({ number: 'B', kind: 'rfi', recordType: 'item' }),
          owed({ number: 'C', projectId: 2 }),
          owed({ number: 'D', holder: 'owen@owner.example' }),
        ],
      }),
      MORNING,
    );
    expect(due.map((d) => d.person)).toEqual(['owen@owner.example', 'sam@architect.example']);
    const sam = due[1];
    expect(
      sam?.sections.map((s) => [s.project.code, s.lines.map((l) => l.obligation.number)]),
    ).toEqual([
      ['twr-a', ['A', 'B']],
      ['ber', ['C']],
    ]);
  });

  it('follows the first-created project: New York items ride on the Berlin morning', () => {
    const berlin = project({ id: 1, code: 'ber', timezone: 'Europe/Berlin' });
    const ny = project({ id: 2, code: 'nyc', timezone: 'America/New_York' });
    const s = state({ projects: [berlin, ny], obligations: [owed(), owed({ projectId: 2 })] });
    // 06:05 UTC: 07:05 in Berlin, 01:05 in New York (a working Tuesday there too).
    const [digest] = digestsDue(s, utc('2026-12-01T06:05:00'));
    expect(digest?.localDate).toBe('2026-12-01');
    expect(digest?.sections.map((x) => x.project.code)).toEqual(['ber', 'nyc']);
  });

  it('leaves out a project on holiday that day, keeping the others', () => {
    const other = project({ id: 2, code: 'two', holidays: ['2026-12-01'] });
    const due = digestsDue(
      state({ projects: [project(), other], obligations: [owed(), owed({ projectId: 2 })] }),
      MORNING,
    );
    expect(due[0]?.sections.map((x) => x.project.code)).toEqual(['twr-a']);
  });

  it('holds back what became theirs after the morning until the next day', () => {
    const fresh = owed({ since: utc('2026-12-01T09:00:00'), dueAt: endOf('2026-12-03') });
    expect(digestsDue(state({ obligations: [fresh] }), utc('2026-12-01T09:05:00'))).toEqual([]);
    expect(digestsDue(state({ obligations: [fresh] }), utc('2026-12-02T07:05:00'))).toHaveLength(1);
  });
});

describe('quiet rules', () => {
  it('skips undeliverable addresses', () => {
    const s = state({ obligations: [owed()], undeliverable: new Set(['sam@architect.example']) });
    expect(digestsDue(s, MORNING)).toEqual([]);
  });

  it('skips a paused member through the last paused date, in that project only', () => {
    const other = project({ id: 2, code: 'two' });
    const s = state({
      projects: [project(), other],
      obligations: [owed(), owed({ projectId: 2 })],
      pausedUntil: new Map([['1 sam@architect.example', '2026-12-01']]),
    });
    const [today] = digestsDue(s, MORNING);
    expect(today?.sections.map((x) => x.project.code)).toEqual(['two']);
    expect(today?.homeProjectId).toBe(2);
    const [tomorrow] = digestsDue(s, utc('2026-12-02T07:05:00'));
    expect(tomorrow?.sections.map((x) => x.project.code)).toEqual(['twr-a', 'two']);
  });
});

describe('escalation', () => {
  const managers = new Map([[1, ['pm@gc.example']]]);
  const admins = ['admin@docket.example'];
  // 2026-12-01 07:05: due 2026-11-26 is 3 working days overdue; 2026-11-16 is 11.
  const cases: [string, Date, Partial<ReminderProject>, string[]][] = [
    ['2 working days overdue: nobody yet', endOf('2026-11-27'), {}, []],
    ['3 working days overdue: the managers', endOf('2026-11-26'), {}, ['pm@gc.example']],
    [
      '11 overdue: managers and administrators',
      endOf('2026-11-16'),
      {},
      ['admin@docket.example', 'pm@gc.example'],
    ],
    ['a project threshold of 5', endOf('2026-11-26'), { escalateAfterDays: 5 }, []],
    [
      'an administrator threshold of 3',
      endOf('2026-11-26'),
      { escalateAdminAfterDays: 3 },
      ['admin@docket.example', 'pm@gc.example'],
    ],
    ['not yet due', endOf('2026-12-03'), {}, []],
  ];
  it.each(cases)('%s', (_name, dueAt, settings, expected) => {
    const due = escalationsDue(
      state({ projects: [project(settings)], obligations: [owed({ dueAt })], managers, admins }),
      MORNING,
    );
    expect(due.map((d) => d.person)).toEqual(expected);
    for (const d of due)
      expect(d.sections[0]?.lines[0]?.obligation.holder).toBe('sam@architect.example');
  });

  it('one escalation per manager however many items, and none on a weekend', () => {
    const s = state({
      obligations: [owed(), owed({ holder: 'owen@owner.example' }), owed({ kind: 'ack' })],
      managers,
    });
    const due = escalationsDue(s, MORNING);
    expect(due).toHaveLength(1);
    expect(due[0]?.sections[0]?.lines).toHaveLength(3);
    expect(escalationsDue(s, utc('2026-12-05T07:05:00'))).toEqual([]);
  });

  it('a paused manager hears nothing, and a paused ball holder is still named to managers', () => {
    const pausedManager = state({
      obligations: [owed()],
      managers,
      pausedUntil: new Map([['1 pm@gc.example', '9999-12-31']]),
    });
    expect(escalationsDue(pausedManager, MORNING)).toEqual([]);
    const pausedHolder = state({
      obligations: [owed()],
      managers,
      pausedUntil: new Map([['1 sam@architect.example', '9999-12-31']]),
    });
    expect(escalationsDue(pausedHolder, MORNING).map((d) => d.person)).toEqual(['pm@gc.example']);
  });
});

/**
 * Ticks every five minutes across a DST change with an in-memory ledger keyed like the real one:
 * each local day gets exactly one digest, sent at the first tick at or after the local morning.
 */
function simulateDays(zone: string, firstDay: string, days: number, digestTime = '07:00') {
  const p = project({ timezone: zone, workingWeekdays: [1, 2, 3, 4, 5, 6, 7], digestTime });
  const start = DateTime.fromISO(firstDay, { zone }).startOf('day');
  const overdue = owed({
    dueAt: start.minus({ days: 2 }).toJSDate(),
    since: utc('2026-01-01T00:00:00'),
  });
  const s = state({ projects: [p], obligations: [overdue] });
  const ledger = new Map<string, Date>();
  const end = start.plus({ days });
  for (let t = start; t < end; t = t.plus({ minutes: 5 })) {
    for (const reminder of digestsDue(s, t.toJSDate())) {
      const key = `${reminder.person} ${reminder.localDate}`;
      if (!ledger.has(key)) ledger.set(key, t.toJSDate());
    }
  }
  return [...ledger].map(([key, at]) => [
    key.split(' ')[1],
    DateTime.fromJSDate(at, { zone }).toFormat('yyyy-MM-dd HH:mm'),
  ]);
}

describe('DST changes: no digest skipped or doubled', () => {
  it('New York, clocks back on Sunday 2026-11-01', () => {
    expect(
      projectDay(project({ timezone: 'America/New_York' }), utc('2026-11-01T12:00:00')).morningAt,
    ).toEqual(utc('2026-11-01T12:00:00'));
    expect(simulateDays('America/New_York', '2026-10-31', 3)).toEqual([
      ['2026-10-31', '2026-10-31 07:00'],
      ['2026-11-01', '2026-11-01 07:00'],
      ['2026-11-02', '2026-11-02 07:00'],
    ]);
  });

  it('New York, clocks forward on Sunday 2026-03-08, morning at 02:30 (a time that day skips)', () => {
    expect(simulateDays('America/New_York', '2026-03-07', 3, '02:30')).toEqual([
      ['2026-03-07', '2026-03-07 02:30'],
      ['2026-03-08', '2026-03-08 03:30'],
      ['2026-03-09', '2026-03-09 02:30'],
    ]);
  });

  it('Berlin, clocks back on Sunday 2026-10-25, morning at 02:30 (a time that day has twice)', () => {
    expect(simulateDays('Europe/Berlin', '2026-10-24', 3, '02:30')).toEqual([
      ['2026-10-24', '2026-10-24 02:30'],
      ['2026-10-25', '2026-10-25 02:30'],
      ['2026-10-26', '2026-10-26 02:30'],
    ]);
    expect(simulateDays('Europe/Berlin', '2026-10-24', 3)).toEqual([
      ['2026-10-24', '2026-10-24 07:00'],
      ['2026-10-25', '2026-10-25 07:00'],
      ['2026-10-26', '2026-10-26 07:00'],
    ]);
  });

  it('Sydney, clocks forward on Sunday 2026-10-04', () => {
    expect(simulateDays('Australia/Sydney', '2026-10-03', 3)).toEqual([
      ['2026-10-03', '2026-10-03 07:00'],
      ['2026-10-04', '2026-10-04 07:00'],
      ['2026-10-05', '2026-10-05 07:00'],
    ]);
  });
});
