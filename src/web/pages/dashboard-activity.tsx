import { DateTime } from 'luxon';
import type { ActivityEntry } from '../../dashboard/recent-activity.js';

const ACTIONS: Record<string, string> = {
  submitted: 'submitted',
  resubmitted: 'resubmitted as a new revision',
  decision: 'review answered',
  'ball-moved': 'ball moved to the next reviewers',
  'returned-to-submitter': 'returned to the submitter',
  closed: 'closed',
  created: 'issued',
  opened: 'opened',
  acknowledged: 'acknowledged',
  'reply-filed-as-comment': 'reply filed as a comment',
};

/** The latest events and messages, newest first, each linking to its thread when it has one. */
export function RecentActivity(props: {
  code: string;
  entries: ActivityEntry[];
  timezone: string;
}) {
  if (props.entries.length === 0) {
    return <p class="empty">No activity yet. Mail sent to the project inbox appears here.</p>;
  }
  const base = `/p/${encodeURIComponent(props.code)}`;
  return (
    <ol class="activity">
      {props.entries.map((entry) => {
        const when = DateTime.fromJSDate(entry.at, { zone: props.timezone });
        const who = entry.actorName ?? entry.actor ?? 'Docket';
        const what =
          entry.kind === 'message'
            ? entry.subject || '(no subject)'
            : [
                entry.record ?? 'A record',
                ACTIONS[entry.action] ?? entry.action,
                entry.decision ? `— ${entry.decision}` : '',
              ]
                .filter(Boolean)
                .join(' ');
        return (
          <li class={`activity-${entry.kind}`}>
            <time datetime={entry.at.toISOString()}>{when.toFormat('yyyy-LL-dd HH:mm')}</time>{' '}
            <span class="activity-kind">{entry.kind === 'message' ? 'Message' : 'Record'}</span>{' '}
            {entry.threadId !== null ? (
              <a href={`${base}/threads/${entry.threadId}`}>{what}</a>
            ) : (
              <span>{what}</span>
            )}{' '}
            <span class="activity-who" title={entry.actor ?? undefined}>
              {entry.kind === 'message' ? `from ${who}` : `by ${who}`}
            </span>
          </li>
        );
      })}
    </ol>
  );
}
