import type { SessionUser } from '../../auth/web-session.js';
import type { ItemDetail } from '../../items/item-detail.js';
import { ITEM_TYPES, itemNumber } from '../../items/item-types.js';
import { CsrfField, Layout } from '../components/layout.js';
import { ItemStatus } from './item-log-page.js';
import { projectPath, When } from './record-format.js';

export interface ItemDetailPageProps {
  user: SessionUser;
  csrfToken: string;
  project: { code: string; name: string; timezone: string };
  detail: ItemDetail;
  /** Only managers and administrators see the Close button. */
  canClose: boolean;
  now: Date;
  /** A line at the top: what just happened, or why it could not. */
  notice?: { kind: 'done' | 'error'; text: string };
}

/** `GET /p/:code/items/RFI-007`: the question, who must answer, the answer, and the trail. */
export function ItemDetailPage(props: ItemDetailPageProps) {
  const { project, detail } = props;
  const { item, trail } = detail;
  const zone = project.timezone;
  const number = itemNumber(item.prefix, item.number);
  const type = ITEM_TYPES.find((t) => t.prefix === item.prefix);
  const overdue = item.status === 'open' && item.due_at !== null && item.due_at < props.now;
  return (
    <Layout
      title={`${number} · ${project.name}`}
      user={props.user}
      csrfToken={props.csrfToken}
      project={project}
      section="items"
    >
      <p class="crumbs">
        <a href={projectPath(project.code, '/items')}>RFIs and other items</a>
      </p>
      <h1>
        {number}: {item.subject}
      </h1>
      {props.notice ? (
        <p class={props.notice.kind === 'error' ? 'error' : 'done'} role="status">
          {props.notice.text}
        </p>
      ) : null}
      <dl class="record-fields">
        <dt>Type</dt>
        <dd>{type?.label ?? item.prefix}</dd>
        <dt>Status</dt>
        <dd>
          <ItemStatus status={item.status} overdue={overdue} />
        </dd>
        <dt>From</dt>
        <dd>
          {item.asker_name ? `${item.asker_name} ` : ''}
          <span class={item.asker_name ? 'muted' : undefined}>{item.asker}</span>
        </dd>
        <dt>Ball in court</dt>
        <dd>
          {item.ball_in_court.length > 0 ? (
            item.ball_in_court.join(', ')
          ) : (
            <span class="muted">no one</span>
          )}
        </dd>
        <dt>Opened</dt>
        <dd>
          <When at={item.created_at} zone={zone} /> <span class="muted">({zone})</span>
        </dd>
        <dt>Due</dt>
        <dd>
          <When at={item.due_at} zone={zone} />
        </dd>
        {item.answered_at ? (
          <>
            <dt>Answered</dt>
            <dd>
              <When at={item.answered_at} zone={zone} />
              {item.answered_by ? ` by ${item.answered_by}` : ''}
            </dd>
          </>
        ) : null}
        {item.closed_at ? (
          <>
            <dt>Closed</dt>
            <dd>
              <When at={item.closed_at} zone={zone} />
            </dd>
          </>
        ) : null}
      </dl>
      {item.thread_id ? (
        <p>
          <a href={projectPath(project.code, `/threads/${item.thread_id}`)}>Email thread</a>
        </p>
      ) : null}

      <h2>Question</h2>
      <pre class="mail-text">{item.question || '(no text)'}</pre>
      <h2>Answer</h2>
      {item.answer ? (
        <pre class="mail-text">{item.answer}</pre>
      ) : (
        <p class="muted">Not answered yet.</p>
      )}

      {props.canClose && item.status !== 'closed' ? (
        <form
          method="post"
          action={projectPath(project.code, `/items/${number}/close`)}
          class="record-action"
        >
          <CsrfField token={props.csrfToken} />
          <p>Closing takes {number} off every list of open work; no one holds the ball after it.</p>
          <button type="submit">Close {number}</button>
        </form>
      ) : null}

      <h2>Audit trail</h2>
      <div class="table-scroll" role="region" aria-label="Audit trail" tabindex={0}>
        <table class="log records narrow">
          <thead>
            <tr>
              <th scope="col">When ({zone})</th>
              <th scope="col">Who</th>
              <th scope="col">What</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {trail.map((event) => (
              <tr>
                <td class="nowrap">
                  <When at={event.at} zone={zone} />
                </td>
                <td>{event.actor ?? <span class="muted">Docket</span>}</td>
                <td>{event.action}</td>
                <td>
                  <AuditDetails details={event.details} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Layout>
  );
}

/** The event's evidence as written, folded away: token claims and hashes are for disputes. */
function AuditDetails(props: { details: Record<string, unknown> }) {
  const entries = Object.entries(props.details);
  if (entries.length === 0) return <span class="muted">—</span>;
  return (
    <details>
      <summary>{entries.length} fields</summary>
      <dl class="audit-details">
        {entries.map(([key, value]) => (
          <>
            <dt>{key}</dt>
            <dd>
              <code>{typeof value === 'string' ? value : JSON.stringify(value)}</code>
            </dd>
          </>
        ))}
      </dl>
    </details>
  );
}
