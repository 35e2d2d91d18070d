import { extractText } from 'unpdf';
import { describe, expect, it } from 'vitest';
import { renderWeeklySummaryPdf } from '../../src/pdf/weekly-summary-pdf.js';
import type { ReminderState } from '../../src/reminders/reminder-model.js';
import { weekStartDay, weeklySummariesDue } from '../../src/reminders/weekly-due.js';
import type { WeeklyFigures } from '../../src/reminders/weekly-figures.js';
import { summariseProject, WEEKLY_OLDEST } from '../../src/reminders/weekly-summary.js';
import {
  endOf,
  obligationMaker,
  reminderProject as project,
  reminderState,
  utc,
} from './reminder-state.js';

// Monday 30 November 2026 begins the week; the Sunday before is 29 November.
const PM = 'pm@gc.example';
const SAM = 'sam@architect.example';
const owed = obligationMaker({ step: 1, dueAt: endOf('2026-11-20') });
const state = (overrides: Partial<ReminderState> = {}) =>
  reminderState({ managers: new Map([[1, [PM]]]), ...overrides });

const due = (s: ReminderState, at: Date) =>
  weeklySummariesDue(s, at).map((r) => `${r.person} ${r.localDate}`);

describe('the first working day of a week', () => {
  it.each([
    ['a Monday', '2026-11-30', [], '2026-11-30'],
    ['a Thursday of the same week', '2026-12-03', [], '2026-11-30'],
    ['the Sunday that ends it', '2026-12-06', [], '2026-11-30'],
    ['a week whose Monday is a holiday', '2026-12-02', ['2026-11-30'], '2026-12-01'],
    [
      'a week off altogether',
      '2026-12-02',
      ['2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04'],
      null,
    ],
  ])('%s', (_, date, holidays, expected) => {
    expect(weekStartDay(project({ holidays }), date)).toBe(expected);
  });
});

describe('when a weekly summary is due', () => {
  it.each([
    ['Sunday evening', '2026-11-29T20:00:00', []],
    ['Monday before the reminder time', '2026-11-30T06:55:00', []],
    ['Monday at the reminder time', '2026-11-30T07:00:00', [`${PM} 2026-11-30`]],
    ['Monday afternoon (a late tick)', '2026-11-30T15:00:00', [`${PM} 2026-11-30`]],
    // A service down on Monday catches up; the identity is still Monday's, so the ledger holds
    // a summary sent on Monday against it.
    ['Wednesday, catching up', '2026-12-02T09:00:00', [`${PM} 2026-11-30`]],
    ['Saturday', '2026-12-05T09:00:00', []],
  ])('UTC project, %s', (_, at, expected) => {
    expect(due(state(), utc(at))).toEqual(expected);
  });

  it("follows each project's own Monday morning: New York and Sydney", () => {
    const ny = project({ timezone: 'America/New_York' });
    const sydney = project({ timezone: 'Australia/Sydney' });
    // 07:00 in New York on 30 Nov is 12:00 UTC; 07:00 in Sydney on 30 Nov is 20:00 UTC on the 29th.
    expect(due(state({ projects: [ny] }), utc('2026-11-30T11:55:00'))).toEqual([]);
    expect(due(state({ projects: [ny] }), utc('2026-11-30T12:00:00'))).toEqual([
      `${PM} 2026-11-30`,
    ]);
    // At 02:00 UTC on 30 Nov it is still Sunday evening in New York.
    expect(due(state({ projects: [ny] }), utc('2026-11-30T02:00:00'))).toEqual([]);
    expect(due(state({ projects: [sydney] }), utc('2026-11-29T19:55:00'))).toEqual([]);
    expect(due(state({ projects: [sydney] }), utc('2026-11-29T20:00:00'))).toEqual([
      `${PM} 2026-11-30`,
    ]);
  });

  it('moves to Tuesday when Monday is a holiday', () => {
    const s = state({ projects: [project({ holidays: ['2026-11-30'] })] });
    expect(due(s, utc('2026-11-30T09:00:00'))).toEqual([]);
    expect(due(s, utc('2026-12-01T06:55:00'))).toEqual([]);
    expect(due(s, utc('2026-12-01T07:05:00'))).toEqual([`${PM} 2026-12-01`]);
  });

  it('goes to managers only, never to an undeliverable or paused one', () => {
    const s = state({
      obligations: [owed()],
      managers: new Map([[1, [PM, 'pat@gc.example', 'quiet@gc.example']]]),
      undeliverable: new Set(['pat@gc.example']),
      pausedUntil: new Map([['1 quiet@gc.example', '2026-12-04']]),
    });
    // Sam holds the ball on an overdue review but manages nothing.
    expect(due(s, utc('2026-11-30T07:05:00'))).toEqual([`${PM} 2026-11-30`]);
    // Quiet's pause ends on Friday; from the next Monday they hear again.
    expect(due(s, utc('2026-12-07T07:05:00'))).toEqual([
      `${PM} 2026-12-07`,
      `quiet@gc.example 2026-12-07`,
    ]);
  });

  it('sends a manager of several projects one summary, timed by the first of them', () => {
    const sydney = project({
      id: 2,
      code: 'syd',
      name: 'Sydney Wharf',
      timezone: 'Australia/Sydney',
    });
    const s = state({
      projects: [project(), sydney],
      managers: new Map([
        [1, [PM]],
        [2, [PM]],
      ]),
      obligations: [owed({ projectId: 2 }), owed(), owed({ dueAt: endOf('2026-12-10') })],
    });
    // Sydney's Monday morning has come, but the home project is Tower A (id 1), in UTC.
    expect(due(s, utc('2026-11-29T21:00:00'))).toEqual([]);
    const [summary, ...rest] = weeklySummariesDue(s, utc('2026-11-30T07:05:00'));
    expect(rest).toEqual([]);
    expect(summary?.homeProjectId).toBe(1);
    expect(summary?.sections.map((sec) => [sec.project.code, sec.lines.length])).toEqual([
      ['twr-a', 1], // the item due on 10 December is not overdue
      ['syd', 1],
    ]);
  });

  it('lists overdue lines oldest first, with working days overdue', () => {
    const s = state({
      obligations: [
        owed({ number: 'RFI-002', dueAt: endOf('2026-11-26') }),
        owed({ number: 'RFI-001', dueAt: endOf('2026-11-16') }),
      ],
    });
    const [summary] = weeklySummariesDue(s, utc('2026-11-30T07:05:00'));
    expect(summary?.sections[0]?.lines.map((l) => [l.obligation.number, l.daysOverdue])).toEqual([
      ['RFI-001', 10],
      ['RFI-002', 2],
    ]);
  });
});

function figures(overrides: Partial<WeeklyFigures> = {}): WeeklyFigures {
  return {
    counts: {
      threads: 9,
      messagesThisWeek: 1,
      openSubmittals: 4,
      overdueSubmittals: 2,
      openItems: 3,
      transmittalsAwaitingAck: 1,
    },
    messagesLastWeek: 12,
    overdueHolders: [
      {
        email: SAM,
        name: 'Sam Archer',
        submittalSteps: 2,
        items: 0,
        acknowledgements: 0,
        total: 2,
      },
      {
        email: 'erin@engineer.example',
        name: null,
        submittalSteps: 1,
        items: 0,
        acknowledgements: 0,
        total: 1,
      },
    ],
    names: new Map([[SAM, 'Sam Archer']]),
    ...overrides,
  };
}

describe('a project in the weekly summary', () => {
  it('lists a record waiting on two people once, naming both, and counts past the tenth', () => {
    const p = project();
    const both = owed({ threadId: 42 });
    const lines = [
      { obligation: both, daysOverdue: 7, daysLeft: 0, overdue: true },
      {
        obligation: { ...both, holder: 'erin@engineer.example' },
        daysOverdue: 7,
        daysLeft: 0,
        overdue: true,
      },
      ...Array.from({ length: WEEKLY_OLDEST + 2 }, () => ({
        obligation: owed(),
        daysOverdue: 1,
        daysLeft: 0,
        overdue: true,
      })),
    ];
    const summary = summariseProject('http://docket.example', p, lines, figures());
    expect(summary.oldest).toHaveLength(WEEKLY_OLDEST);
    expect(summary.moreOverdue).toBe(3);
    expect(summary.oldest[0]).toEqual({
      number: both.number,
      title: both.title,
      holders: ['Sam Archer', 'erin@engineer.example'],
      daysOverdue: 7,
      link: 'http://docket.example/p/twr-a/threads/42',
    });
    expect(summary.link).toBe('http://docket.example/p/twr-a');
    expect(summary.counts).toEqual({
      openSubmittals: 4,
      overdueSubmittals: 2,
      openItems: 3,
      transmittalsAwaitingAck: 1,
      messagesLastWeek: 12,
    });
    expect(summary.overdueByHolder).toEqual([
      { label: 'Sam Archer', value: 2 },
      { label: 'erin@engineer.example', value: 1 },
    ]);
  });
});

describe('the weekly summary PDF', () => {
  it('reads back with a page per project: counts, the chart by name and the oldest items', async () => {
    const lines = [
      {
        obligation: owed({ title: 'Curtain wall anchors' }),
        daysOverdue: 6,
        daysLeft: 0,
        overdue: true,
      },
    ];
    const towerA = summariseProject('http://x', project(), lines, figures());
    const wharf = summariseProject(
      'http://x',
      project({ id: 2, code: 'wharf', name: 'Łódź Wharf' }),
      [],
      figures({ overdueHolders: [] }),
    );
    const pdf = await renderWeeklySummaryPdf({
      preparedFor: 'Pat Manager',
      weekOf: '2026-11-30',
      generatedAt: utc('2026-11-30T07:05:00'),
      timezone: 'Europe/London',
      projects: [towerA, wharf],
    });
    const { text, totalPages } = await extractText(pdf.slice(), { mergePages: false });
    expect(totalPages).toBe(2);
    const [first = '', second = ''] = text.map((page) => page.normalize('NFC'));
    expect(first).toContain('Tower A');
    expect(first).toContain('WEEKLY SUMMARY');
    expect(first).toContain('Week of Monday 30 November 2026');
    expect(first).toContain('For Pat Manager');
    expect(first).toContain('Overdue by ball in court');
    expect(first).toContain('Sam Archer');
    expect(first).toContain('Curtain wall anchors');
    expect(first).toContain('6 working days');
    expect(first).toContain('Messages filed last week');
    expect(first).toContain('Page 1 of 2');
    expect(second).toContain('Łódź Wharf');
    expect(second).toContain('Nothing is overdue.');
    expect(second).not.toContain('Sam Archer');
  });

  it('refuses a time zone that is not IANA', async () => {
    await expect(
      renderWeeklySummaryPdf({
        preparedFor: 'x',
        weekOf: '2026-11-30',
        generatedAt: new Date(),
        timezone: 'Mars/Olympus',
        projects: [],
      }),
    ).rejects.toThrow(/time zone/);
  });
});
