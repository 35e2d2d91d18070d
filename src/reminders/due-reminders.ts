import { runClock, type RunClock } from './reminder-clock.js';
import type {
  DueReminder,
  Obligation,
  ReminderJob,
  ReminderLine,
  ReminderProject,
  ReminderState,
} from './reminder-model.js';

/**
 * The daily digests due at `now`: for each person, every obligation they hold that is overdue or
 * due within two working days, grouped by project. Pure: the state is read beforehand, and the
 * caller's ledger decides whether a digest with the same identity already went out.
 *
 * Which day and morning a person's reminder follows — their **home project**: of the projects
 * their lines come from, the one created first (lowest id). The reminder is due once the home
 * project's reminder time has passed on one of its working days, and its identity is the home
 * project's local date. It lists lines from every project whose own local date at `now` is a
 * working day, so a project on holiday adds nothing that day, and a person in several projects
 * still receives one mail a day, at one predictable time. A run after the morning (a restart, a
 * missed tick) still sends the morning's digest: the identity, not the clock, prevents a second.
 */
export function digestsDue(state: ReminderState, now: Date): DueReminder[] {
  const clock = runClock(now);
  const lines = (project: ReminderProject, obligation: Obligation): ReminderLine | null => {
    // The digest reports the morning's state: what became someone's later in the day (an
    // acknowledgement due in two days, say) was just notified, and waits for tomorrow's digest.
    if (obligation.since > clock.day(project).morningAt) return null;
    const standing = clock.standing(project, obligation.dueAt);
    if (!standing.overdue && !standing.dueSoon) return null;
    const { daysOverdue, daysLeft, overdue } = standing;
    return { obligation, daysOverdue, daysLeft, overdue };
  };
  const byPerson = new Map<string, Obligation[]>();
  for (const obligation of state.obligations) {
    const list = byPerson.get(obligation.holder) ?? [];
    list.push(obligation);
    byPerson.set(obligation.holder, list);
  }
  return assemble('digest', state, clock, byPerson, lines);
}

/**
 * The escalations due at `now`: to each project's managers, the obligations overdue by at least
 * the project's first threshold (default 3 working days); to administrators, those overdue by at
 * least its second (default 10), in every project. Each line names who holds the ball. Timing and
 * identity follow the same home-project rule as the digest.
 */
export function escalationsDue(state: ReminderState, now: Date): DueReminder[] {
  const clock = runClock(now);
  const projects = new Map(state.projects.map((p) => [p.id, p]));
  const byPerson = new Map<string, Obligation[]>();
  const add = (person: string, obligation: Obligation) => {
    const list = byPerson.get(person) ?? [];
    if (!list.includes(obligation)) list.push(obligation);
    byPerson.set(person, list);
  };
  for (const obligation of state.obligations) {
    const project = projects.get(obligation.projectId);
    if (!project) continue;
    const { daysOverdue } = clock.standing(project, obligation.dueAt);
    if (daysOverdue >= project.escalateAfterDays) {
      for (const manager of state.managers.get(project.id) ?? []) add(manager, obligation);
    }
    if (daysOverdue >= project.escalateAdminAfterDays) {
      for (const admin of state.admins) add(admin, obligation);
    }
  }
  return assemble('escalation', state, clock, byPerson, (project, obligation) => {
    const { daysOverdue } = clock.standing(project, obligation.dueAt);
    return { obligation, daysOverdue, daysLeft: 0, overdue: true };
  });
}

/** Applies the quiet rules and the home-project rule to each person's candidate obligations. */
function assemble(
  job: ReminderJob,
  state: ReminderState,
  clock: RunClock,
  byPerson: ReadonlyMap<string, Obligation[]>,
  toLine: (project: ReminderProject, obligation: Obligation) => ReminderLine | null,
): DueReminder[] {
  const projects = new Map(state.projects.map((p) => [p.id, p]));
  const dayOf = (project: ReminderProject) => clock.day(project);
  const due: DueReminder[] = [];
  for (const [person, obligations] of [...byPerson].sort(([a], [b]) => a.localeCompare(b))) {
    if (state.undeliverable.has(person)) continue;
    const sections = new Map<number, ReminderLine[]>();
    for (const obligation of obligations) {
      const project = projects.get(obligation.projectId);
      if (!project || !dayOf(project).working) continue;
      const paused = state.pausedUntil.get(`${project.id} ${person}`);
      if (paused !== undefined && dayOf(project).localDate <= paused) continue;
      const line = toLine(project, obligation);
      if (!line) continue;
      const list = sections.get(project.id) ?? [];
      list.push(line);
      sections.set(project.id, list);
    }
    const home = Math.min(...sections.keys());
    const homeProject = projects.get(home);
    if (!homeProject || !dayOf(homeProject).open) continue;
    due.push({
      job,
      person,
      localDate: dayOf(homeProject).localDate,
      homeProjectId: home,
      sections: [...sections]
        .sort(([a], [b]) => a - b)
        .map(([id, lines]) => ({
          project: projects.get(id) ?? homeProject,
          lines: sortLines(lines),
        })),
    });
  }
  return due;
}

/** Most overdue first, then by due date and number. */
function sortLines(lines: ReminderLine[]): ReminderLine[] {
  return lines.sort(
    (a, b) =>
      a.obligation.dueAt.getTime() - b.obligation.dueAt.getTime() ||
      a.obligation.number.localeCompare(b.obligation.number) ||
      a.obligation.holder.localeCompare(b.obligation.holder),
  );
}
