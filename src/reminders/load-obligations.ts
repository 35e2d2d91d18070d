import { sql } from 'kysely';
import { addWorkingDays } from '../calendar/working-days.js';
import type { Db } from '../db/database.js';
import { itemNumber } from '../items/item-types.js';
import { submittalNumber } from '../submittals/submittal-request.js';
import { transmittalNumber } from '../transmittals/transmittal-request.js';
import { reminderCalendar } from './reminder-clock.js';
import type { Obligation, ReminderProject } from './reminder-model.js';

/** Decisions that hand a submittal back to its submitter for a new revision. */
const RETURNED = ['REVISE AND RESUBMIT', 'REJECTED'];

/**
 * Everything someone owes right now, read from the current ball in court — so an answer, an
 * acknowledgement or a resubmittal stops its reminders the moment it is filed.
 *
 * A returned submittal carries no due date of its own; its resubmittal is expected within the
 * project's review period (review_days working days) after the decision was issued.
 *
 * With `dueBy`, obligations whose stored due date is later are not read: on a large site most
 * open items are weeks from due, and no reminder names them (a digest looks two working days
 * ahead; escalations and the weekly summary only at what is overdue).
 */
export async function loadObligations(
  db: Db,
  projects: ReadonlyMap<number, ReminderProject & { reviewDays: number }>,
  dueBy?: Date,
): Promise<Obligation[]> {
  const [reviews, resubmittals, items, acknowledgements] = await Promise.all([
    db
      .selectFrom('review_steps as rs')
      .innerJoin('submittal_revisions as sr', (join) =>
        join
          .onRef('sr.project_id', '=', 'rs.project_id')
          .onRef('sr.submittal_id', '=', 'rs.submittal_id')
          .onRef('sr.revision', '=', 'rs.revision')
          .onRef('sr.current_step', '=', 'rs.step'),
      )
      .innerJoin('submittals as s', (join) =>
        join
          .onRef('s.project_id', '=', 'rs.project_id')
          .onRef('s.id', '=', 'rs.submittal_id')
          .onRef('s.revision', '=', 'rs.revision'),
      )
      .select([
        'rs.project_id',
        'rs.submittal_id',
        'rs.revision',
        'rs.step',
        'rs.reviewer',
        'rs.member_id',
        'rs.due_at',
        'rs.notified_at',
        's.spec_section',
        's.seq',
        's.title',
        's.thread_id',
      ])
      .where('sr.status', '=', 'in_review')
      .where('rs.state', '=', 'pending')
      .where('rs.due_at', 'is not', null)
      .$if(dueBy !== undefined, (qb) => qb.where('rs.due_at', '<=', dueBy as Date))
      .where('s.status', '=', 'open')
      .where(sql<boolean>`rs.reviewer = any(s.ball_in_court)`)
      .execute(),
    db
      .selectFrom('submittals as s')
      .innerJoinLateral(
        (eb) =>
          eb
            .selectFrom(sql`unnest(s.ball_in_court)`.as('holder'))
            .select(sql<string>`holder`.as('holder'))
            .as('b'),
        (join) => join.onTrue(),
      )
      .leftJoin('members as m', (join) =>
        join.onRef('m.project_id', '=', 's.project_id').onRef('m.email', '=', 'b.holder'),
      )
      .select([
        's.project_id',
        's.id',
        's.revision',
        's.spec_section',
        's.seq',
        's.title',
        's.thread_id',
        's.issued_at',
        'b.holder',
        'm.id as member_id',
      ])
      .where('s.status', '=', 'open')
      .where('s.decision', 'in', RETURNED)
      .where('s.issued_at', 'is not', null)
      .execute(),
    db
      .selectFrom('items as i')
      .innerJoinLateral(
        (eb) =>
          eb
            .selectFrom(sql`unnest(i.ball_in_court)`.as('holder'))
            .select(sql<string>`holder`.as('holder'))
            .as('b'),
        (join) => join.onTrue(),
      )
      .leftJoin('members as m', (join) =>
        join.onRef('m.project_id', '=', 'i.project_id').onRef('m.email', '=', 'b.holder'),
      )
      .select([
        'i.project_id',
        'i.id',
        'i.prefix',
        'i.number',
        'i.subject',
        'i.due_at',
        'i.created_at',
        'i.thread_id',
        'b.holder',
        'm.id as member_id',
      ])
      .where('i.status', '=', 'open')
      .where('i.due_at', 'is not', null)
      .$if(dueBy !== undefined, (qb) => qb.where('i.due_at', '<=', dueBy as Date))
      .execute(),
    db
      .selectFrom('transmittal_recipients as r')
      .innerJoin('transmittals as t', (join) =>
        join.onRef('t.project_id', '=', 'r.project_id').onRef('t.id', '=', 'r.transmittal_id'),
      )
      .leftJoin('members as m', (join) =>
        join.onRef('m.project_id', '=', 'r.project_id').onRef('m.email', '=', 'r.email'),
      )
      .select([
        't.project_id',
        't.id',
        't.number',
        't.subject',
        't.due_at',
        't.created_at',
        't.thread_id',
        'r.email',
        'm.id as member_id',
      ])
      .where('t.status', '=', 'open')
      .where('r.acknowledged_at', 'is', null)
      .where('t.due_at', 'is not', null)
      .$if(dueBy !== undefined, (qb) => qb.where('t.due_at', '<=', dueBy as Date))
      .execute(),
  ]);

  const obligations: Obligation[] = [];
  const push = (o: Omit<Obligation, 'holder'> & { holder: string }) =>
    obligations.push({ ...o, holder: o.holder.toLowerCase() });
  for (const r of reviews) {
    if (!r.due_at) continue;
    push({
      projectId: r.project_id,
      kind: 'review',
      recordType: 'submittal',
      recordId: r.submittal_id,
      revision: r.revision,
      step: r.step,
      number: submittalNumber(r.spec_section, r.seq, r.revision),
      title: r.title,
      holder: r.reviewer,
      holderMemberId: r.member_id,
      dueAt: r.due_at,
      since: r.notified_at ?? r.due_at,
      threadId: r.thread_id,
    });
  }
  for (const r of resubmittals) {
    const project = projects.get(r.project_id);
    if (!project || !r.issued_at) continue;
    push({
      projectId: r.project_id,
      kind: 'resubmit',
      recordType: 'submittal',
      recordId: r.id,
      revision: r.revision,
      step: 0,
      number: submittalNumber(r.spec_section, r.seq, r.revision),
      title: r.title,
      holder: r.holder,
      holderMemberId: r.member_id,
      dueAt: addWorkingDays(reminderCalendar(project), r.issued_at, project.reviewDays),
      since: r.issued_at,
      threadId: r.thread_id,
    });
  }
  for (const r of items) {
    if (!r.due_at) continue;
    push({
      projectId: r.project_id,
      kind: 'rfi',
      recordType: 'item',
      recordId: r.id,
      revision: 0,
      step: 0,
      number: itemNumber(r.prefix, r.number),
      title: r.subject,
      holder: r.holder,
      holderMemberId: r.member_id,
      dueAt: r.due_at,
      since: r.created_at,
      threadId: r.thread_id,
    });
  }
  for (const r of acknowledgements) {
    if (!r.due_at) continue;
    push({
      projectId: r.project_id,
      kind: 'ack',
      recordType: 'transmittal',
      recordId: r.id,
      revision: 0,
      step: 0,
      number: transmittalNumber(r.number),
      title: r.subject,
      holder: r.email,
      holderMemberId: r.member_id,
      dueAt: r.due_at,
      since: r.created_at,
      threadId: r.thread_id,
    });
  }
  return obligations;
}
