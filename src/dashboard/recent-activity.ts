import type { Db } from '../db/database.js';
import { itemNumber } from '../items/item-types.js';
import { submittalNumber } from '../submittals/submittal-request.js';
import { transmittalNumber } from '../transmittals/transmittal-request.js';

export interface ActivityEntry {
  at: Date;
  kind: 'event' | 'message';
  /** Who acted or wrote: an address, or null for Docket itself. */
  actor: string | null;
  actorName: string | null;
  /** For events: the record's number (`03 30 00-001.0`, `RFI-007`, `TR-0042`) and what happened. */
  record: string | null;
  action: string;
  /** For decisions and closings: the response code, e.g. `APPROVED AS NOTED`. */
  decision: string | null;
  /** For messages: the subject. */
  subject: string | null;
  /** The thread to open for it, when it has one. */
  threadId: number | null;
}

export const RECENT_ACTIVITY = 15;

/**
 * The project's latest happenings, newest first: audit events on submittals, transmittals and
 * items, and messages filed in the log, merged into one list of `limit` entries.
 */
export async function recentActivity(
  db: Db,
  projectId: number,
  limit = RECENT_ACTIVITY,
): Promise<ActivityEntry[]> {
  const [events, messages] = await Promise.all([
    db
      .selectFrom('audit_events as e')
      .leftJoin('submittals as s', (join) =>
        join
          .onRef('s.project_id', '=', 'e.project_id')
          .onRef('s.id', '=', 'e.record_id')
          .on('e.record_type', '=', 'submittal'),
      )
      .leftJoin('transmittals as t', (join) =>
        join
          .onRef('t.project_id', '=', 'e.project_id')
          .onRef('t.id', '=', 'e.record_id')
          .on('e.record_type', '=', 'transmittal'),
      )
      .leftJoin('items as i', (join) =>
        join
          .onRef('i.project_id', '=', 'e.project_id')
          .onRef('i.id', '=', 'e.record_id')
          .on('e.record_type', '=', 'item'),
      )
      .select([
        'e.at',
        'e.actor',
        'e.action',
        'e.details',
        's.spec_section',
        's.seq',
        's.thread_id as submittal_thread',
        't.number as transmittal_number',
        't.thread_id as transmittal_thread',
        'i.prefix',
        'i.number as item_number',
        'i.thread_id as item_thread',
      ])
      .where('e.project_id', '=', projectId)
      // Ids grow in commit order, and (project_id, id) is the primary key: the newest fifteen
      // come straight off the index, where ordering by `at` would sort the project's whole trail.
      .orderBy('e.id', 'desc')
      .limit(limit)
      .execute(),
    db
      .selectFrom('messages')
      .select(['received_at', 'from_address', 'from_name', 'subject', 'thread_id'])
      .where('project_id', '=', projectId)
      .orderBy('received_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute(),
  ]);

  const entries: ActivityEntry[] = [
    ...events.map((e) => {
      const details = e.details as { number?: unknown; decision?: unknown };
      const fromDetails = typeof details.number === 'string' ? details.number : null;
      const record =
        fromDetails ??
        (e.spec_section !== null && e.seq !== null
          ? submittalNumber(e.spec_section, e.seq)
          : e.transmittal_number !== null
            ? transmittalNumber(e.transmittal_number)
            : e.prefix !== null && e.item_number !== null
              ? itemNumber(e.prefix, e.item_number)
              : null);
      return {
        at: e.at,
        kind: 'event' as const,
        actor: e.actor,
        actorName: null,
        record,
        action: e.action,
        decision: typeof details.decision === 'string' ? details.decision : null,
        subject: null,
        threadId: e.submittal_thread ?? e.transmittal_thread ?? e.item_thread ?? null,
      };
    }),
    ...messages.map((m) => ({
      at: m.received_at,
      kind: 'message' as const,
      actor: m.from_address,
      actorName: m.from_name || null,
      record: null,
      action: 'message',
      decision: null,
      subject: m.subject,
      threadId: m.thread_id,
    })),
  ];
  // Newest first; at one instant the event is listed above the message that caused it.
  const rank = (entry: ActivityEntry) => (entry.kind === 'event' ? 0 : 1);
  return entries
    .sort((a, b) => b.at.getTime() - a.at.getTime() || rank(a) - rank(b))
    .slice(0, limit);
}
