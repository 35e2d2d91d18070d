import type { Db } from '../db/database.js';

export interface OverdueHolder {
  email: string;
  /** The name the project knows them by (member list, else the record), or null. */
  name: string | null;
  /** Submittal review steps they owe an answer on, past the step's due date. */
  submittalSteps: number;
  /** Open RFIs and other items in their court, past the item's due date. */
  items: number;
  /** Transmittals they have not acknowledged, past the acknowledgement date. */
  acknowledgements: number;
  total: number;
}

/**
 * Who holds the ball on overdue work, most overdue first: every pending review step past its due
 * date, every open item past its due date (once per person in its ball in court), and every
 * unacknowledged transmittal past its acknowledgement date (once per silent recipient).
 */
export async function overdueByHolder(
  db: Db,
  projectId: number,
  now: Date,
): Promise<OverdueHolder[]> {
  const [steps, items, acks, members] = await Promise.all([
    db
      .selectFrom('review_steps as r')
      .innerJoin('submittals as s', (join) =>
        join
          .onRef('s.project_id', '=', 'r.project_id')
          .onRef('s.id', '=', 'r.submittal_id')
          .onRef('s.revision', '=', 'r.revision'),
      )
      .select('r.reviewer as email')
      .where('r.project_id', '=', projectId)
      .where('r.state', '=', 'pending')
      .where('r.due_at', '<', now)
      .where('s.status', '=', 'open')
      .execute(),
    db
      .selectFrom('items')
      .select('ball_in_court')
      .where('project_id', '=', projectId)
      .where('status', '=', 'open')
      .where('due_at', '<', now)
      .execute(),
    db
      .selectFrom('transmittal_recipients as r')
      .innerJoin('transmittals as t', (join) =>
        join.onRef('t.project_id', '=', 'r.project_id').onRef('t.id', '=', 'r.transmittal_id'),
      )
      .select(['r.email', 'r.name'])
      .where('r.project_id', '=', projectId)
      .where('r.acknowledged_at', 'is', null)
      .where('t.status', '=', 'open')
      .where('t.due_at', '<', now)
      .execute(),
    db
      .selectFrom('members')
      .select(['email', 'name'])
      .where('project_id', '=', projectId)
      .execute(),
  ]);

  const byEmail = new Map<string, OverdueHolder>();
  const known = new Map<string, string>();
  for (const m of members) if (m.name) known.set(m.email.toLowerCase(), m.name);
  const holder = (email: string, name: string | null = null) => {
    const key = email.toLowerCase();
    let entry = byEmail.get(key);
    if (!entry) {
      entry = { email, name: null, submittalSteps: 0, items: 0, acknowledgements: 0, total: 0 };
      byEmail.set(key, entry);
    }
    entry.name ??= known.get(key) ?? name;
    entry.total += 1;
    return entry;
  };
  for (const step of steps) holder(step.email).submittalSteps += 1;
  for (const item of items) for (const email of item.ball_in_court) holder(email).items += 1;
  for (const ack of acks) holder(ack.email, ack.name).acknowledgements += 1;
  return [...byEmail.values()].sort((a, b) => b.total - a.total || a.email.localeCompare(b.email));
}

/** How a holder is shown: their name when the project knows it, else their address. */
export function holderLabel(holder: Pick<OverdueHolder, 'email' | 'name'>): string {
  return holder.name ?? holder.email;
}
