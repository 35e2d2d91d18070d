import type { DetailAuditEvent } from '../../submittals/submittal-detail.js';
import { SubmittalWhen } from './submittal-format.js';

const ACTIONS: Record<string, string> = {
  submitted: 'Submitted',
  resubmitted: 'Resubmitted as a new revision',
  decision: 'Decision recorded',
  'ball-moved': 'Ball moved to the next step',
  'returned-to-submitter': 'Returned to the submitter',
  closed: 'Closed',
  'reply-filed-as-comment': 'Reply filed as a comment, not a decision',
};

const text = (value: unknown): string | null =>
  typeof value === 'string' && value !== '' ? value : null;
const list = (value: unknown): string | null =>
  Array.isArray(value) && value.length > 0 ? value.map(String).join(', ') : null;

/**
 * Every event of the record in order: who, what, when, and the evidence kept with it — the raw
 * message (downloadable, with its SHA-256) and the sender authentication results where recorded.
 */
export function SubmittalAuditTrail(props: {
  code: string;
  events: DetailAuditEvent[];
  timezone: string;
}) {
  if (props.events.length === 0) return <p class="empty">No events recorded.</p>;
  return (
    <ol class="audit-trail">
      {props.events.map((event) => (
        <AuditEvent code={props.code} event={event} timezone={props.timezone} />
      ))}
    </ol>
  );
}

function AuditEvent(props: { code: string; event: DetailAuditEvent; timezone: string }) {
  const { event } = props;
  const d = event.details;
  const step = typeof d.step === 'number' ? String(d.step + 1) : null;
  const facts: [string, string | null][] = [
    ['Number', text(d.number)],
    ['Decision', text(d.decision)],
    ['Words read', text(d.matched)],
    ['Step', step],
    ['From', list(d.from)],
    ['To', list(d.to)],
    ['Ball in court', list(d.ballInCourt)],
    ['Reason', text(d.reason)],
    ['Problems', list(d.problems)],
    ['Comment', text(d.comment)],
    ['Authentication', text(d.authenticationSummary)],
  ];
  const messageId = typeof d.messageId === 'number' ? d.messageId : null;
  const sha = text(d.rawSha256);
  return (
    <li class="audit-event">
      <p class="audit-head">
        <SubmittalWhen at={event.at} zone={props.timezone} />{' '}
        <strong>{ACTIONS[event.action] ?? event.action}</strong>
        {event.actor ? <> by {event.actor}</> : <span class="muted"> by Docket</span>}
      </p>
      <dl class="facts">
        {facts
          .filter((fact): fact is [string, string] => fact[1] !== null)
          .map(([label, value]) => (
            <div>
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        {sha ? (
          <div class="wide-fact">
            <dt>Raw message SHA-256</dt>
            <dd>
              <code class="hash">{sha}</code>
              {messageId !== null ? (
                <>
                  {' '}
                  <a href={`/p/${encodeURIComponent(props.code)}/messages/${messageId}/raw`}>
                    Download the message
                  </a>
                </>
              ) : null}
            </dd>
          </div>
        ) : null}
      </dl>
      {d.authentication ? (
        <details>
          <summary>Authentication results as recorded</summary>
          <pre class="raw-json">{JSON.stringify(d.authentication, null, 2)}</pre>
        </details>
      ) : null}
    </li>
  );
}
