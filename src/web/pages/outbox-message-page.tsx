import { raw } from 'hono/html';
import type { SessionUser } from '../../auth/web-session.js';
import type { OutboxMessage } from '../../db/database.js';
import { Layout } from '../components/layout.js';
import { sanitizeMailHtml } from '../mail-html.js';
import { projectPath, When } from './record-format.js';

export interface OutboxMessagePageProps {
  user: SessionUser;
  csrfToken: string;
  project: { code: string; name: string; timezone: string };
  message: OutboxMessage;
  /** The record the mail is about, when its page is known. */
  record: { label: string; href: string | null } | null;
}

/** `GET /p/:code/outbox/:id`: one outbound message as it was rendered and stored. */
export function OutboxMessagePage(props: OutboxMessagePageProps) {
  const { project, message: m } = props;
  const zone = project.timezone;
  const base = projectPath(project.code, `/outbox/${m.id}`);
  const headers: [string, string][] = [
    ['From', m.from_address],
    ['To', m.to_addresses.join(', ')],
    ...(m.reply_to ? ([['Reply-To', m.reply_to]] as [string, string][]) : []),
    ['Subject', m.subject],
    ['Message-ID', `<${m.message_id}>`],
    ...Object.entries(m.headers),
    ['Envelope sender', m.envelope_from],
  ];
  // Mail we wrote ourselves is still shown through the sanitiser: template data (a subject, a
  // remark) came from whoever emailed the project, so the HTML is no more trusted than inbound.
  const html = m.html_body
    ? sanitizeMailHtml(m.html_body, { allowRemoteImages: false, cidUrl: () => null })
    : null;
  return (
    <Layout
      title={`${m.subject || '(no subject)'} · Outbox`}
      user={props.user}
      csrfToken={props.csrfToken}
      project={project}
      section="outbox"
    >
      <p class="crumbs">
        <a href={projectPath(project.code, '/outbox')}>Outbox</a>
      </p>
      <h1>{m.subject || '(no subject)'}</h1>
      <dl class="record-fields">
        <dt>Status</dt>
        <dd>
          <span class={`badge badge-${m.status}`}>{m.status}</span>
          {m.attempts > 0 ? ` after ${m.attempts} attempt${m.attempts === 1 ? '' : 's'}` : ''}
        </dd>
        {m.last_error ? (
          <>
            <dt>Last error</dt>
            <dd class="error">{m.last_error}</dd>
          </>
        ) : null}
        <dt>Kind</dt>
        <dd>{m.kind}</dd>
        <dt>Created</dt>
        <dd>
          <When at={m.created_at} zone={zone} /> <span class="muted">({zone})</span>
        </dd>
        <dt>Sent</dt>
        <dd>
          <When at={m.sent_at} zone={zone} />
        </dd>
        {props.record ? (
          <>
            <dt>Record</dt>
            <dd>
              {props.record.href ? (
                <a href={props.record.href}>{props.record.label}</a>
              ) : (
                props.record.label
              )}
            </dd>
          </>
        ) : null}
      </dl>
      <ul class="record-links">
        {m.thread_id ? (
          <li>
            <a href={projectPath(project.code, `/threads/${m.thread_id}`)}>Email thread</a>
          </li>
        ) : null}
        <li>
          <a href={`${base}/raw`}>Download the message as sent (.eml)</a>
        </li>
      </ul>

      <h2>Headers</h2>
      <dl class="message-meta mail-headers">
        {headers.map(([name, value]) => (
          <>
            <dt>{name}</dt>
            <dd>{value}</dd>
          </>
        ))}
      </dl>

      <h2>Text</h2>
      <pre class="mail-text">{m.text_body}</pre>
      {html ? (
        <>
          <h2>HTML</h2>
          {/* Sanitised by sanitizeMailHtml: never the stored HTML itself. */}
          <div class="mail-html">{raw(html.html)}</div>
        </>
      ) : null}

      <h2>Attachments</h2>
      {m.attachments.length === 0 ? (
        <p class="muted">None.</p>
      ) : (
        <ul class="attachments">
          {m.attachments.map((a, index) => (
            <li>
              <a href={`${base}/attachments/${index + 1}`} download>
                {a.filename}
              </a>{' '}
              <span class="type">{a.contentType}</span> <code class="hash">{a.sha256}</code>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}
