import { raw } from 'hono/html';
import { DateTime } from 'luxon';
import type { SessionUser } from '../../auth/web-session.js';
import type { AttachmentMatch } from '../../attachment-text/attachment-matches.js';
import { describeTextStatus, textStatusOf } from '../../attachment-text/text-status.js';
import type { AttachmentTextState, FilingReasonRecord, StoredAddress } from '../../db/database.js';
import { Headline } from '../components/headline.js';
import { Layout } from '../components/layout.js';
import { sanitizeMailHtml } from '../mail-html.js';

export interface ThreadMessage {
  id: number;
  subject: string;
  from_address: string | null;
  from_name: string | null;
  to_addresses: StoredAddress[];
  cc_addresses: StoredAddress[];
  sent_at: Date | null;
  received_at: Date;
  text_body: string | null;
  html_body: string | null;
  reply_text: string;
  elided_text: string;
  flags: string[];
  parse_warnings: string[];
  filing_reasons: FilingReasonRecord[];
  raw_sha256: string;
  raw_size: number;
}

export interface ThreadAttachment {
  id: number;
  message_id: number;
  filename: string | null;
  content_type: string;
  size: number;
  content_id: string | null;
  inline: boolean;
  text_state: AttachmentTextState | null;
  text_kind: string | null;
  text_detail: string | null;
  text_pages: number | null;
}

export interface ThreadPageProps {
  user: SessionUser;
  csrfToken: string;
  project: { code: string; name: string };
  thread: { id: number; subject: string };
  timezone: string;
  messages: ThreadMessage[];
  attachments: ThreadAttachment[];
  view: 'formatted' | 'text';
  allowRemoteImages: boolean;
  /** The log search the reader came from, if any. */
  search: string;
  /** Attachments that search matched, by attachment id. */
  matches: Map<number, AttachmentMatch>;
}

function formatDate(date: Date, timezone: string): string {
  return DateTime.fromJSDate(date, { zone: timezone }).toFormat('d LLL yyyy, HH:mm ZZZZ');
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function addressList(addresses: StoredAddress[]): string {
  return addresses.map((a) => (a.name ? `${a.name} <${a.address}>` : a.address)).join(', ');
}

function bareContentId(id: string): string {
  return id.trim().replace(/^<(.*)>$/, '$1');
}

/** The link to this page with one query setting changed. */
function threadHref(
  base: string,
  settings: { view: 'formatted' | 'text'; images: boolean },
  fragment = '',
): string {
  const query = new URLSearchParams();
  if (settings.view === 'text') query.set('view', 'text');
  if (settings.images) query.set('images', '1');
  const search = query.toString();
  return `${base}${search ? `?${search}` : ''}${fragment}`;
}

function MessageBody(props: {
  message: ThreadMessage;
  attachments: ThreadAttachment[];
  projectBase: string;
  threadBase: string;
  view: 'formatted' | 'text';
  allowRemoteImages: boolean;
}) {
  const { message } = props;
  if (props.view === 'text') {
    return <pre class="mail-text">{message.text_body ?? message.reply_text}</pre>;
  }
  if (message.html_body !== null) {
    const byContentId = new Map(
      props.attachments
        .filter((a) => a.content_id !== null)
        .map((a) => [bareContentId(a.content_id ?? ''), a.id]),
    );
    const clean = sanitizeMailHtml(message.html_body, {
      allowRemoteImages: props.allowRemoteImages,
      cidUrl: (contentId) => {
        const id = byContentId.get(bareContentId(contentId));
        return id === undefined ? null : `${props.projectBase}/attachments/${id}?inline=1`;
      },
    });
    return (
      <>
        {clean.blockedRemoteImages > 0 ? (
          <p class="notice images-blocked">
            Remote images blocked —{' '}
            <a
              href={threadHref(
                props.threadBase,
                { view: 'formatted', images: true },
                `#m${message.id}`,
              )}
            >
              show them
            </a>
          </p>
        ) : null}
        {clean.removed.filter((kind) => kind !== 'remote-image').length > 0 ? (
          <p class="notice cleaned">
            Docket removed from this message:{' '}
            {clean.removed.filter((kind) => kind !== 'remote-image').join(', ')}.
          </p>
        ) : null}
        {/* Sanitised by sanitizeMailHtml: the only HTML from mail that reaches the page. */}
        <div class="mail-html">{raw(clean.html)}</div>
      </>
    );
  }
  return (
    <>
      <pre class="mail-text">{message.reply_text}</pre>
      {message.elided_text.trim() !== '' ? (
        <details class="elided">
          <summary>Quoted and earlier text</summary>
          <pre class="mail-text">{message.elided_text}</pre>
        </details>
      ) : null}
    </>
  );
}

/** `GET /p/:code/threads/:id`: a conversation, oldest message first, with why each was filed. */
export function ThreadPage(props: ThreadPageProps) {
  const projectBase = `/p/${encodeURIComponent(props.project.code)}`;
  const threadBase = `${projectBase}/threads/${props.thread.id}`;
  const other = props.view === 'text' ? 'formatted' : 'text';
  return (
    <Layout
      title={props.thread.subject || '(no subject)'}
      user={props.user}
      csrfToken={props.csrfToken}
      project={props.project}
      section="log"
    >
      <h1>{props.thread.subject || '(no subject)'}</h1>
      <p class="view-toggle">
        <a href={threadHref(threadBase, { view: other, images: props.allowRemoteImages })}>
          {other === 'text' ? 'Show plain text' : 'Show formatted'}
        </a>
      </p>
      {props.search ? (
        <p class="notice search-note">
          Searched for <q>{props.search}</q>
          {props.matches.size > 0
            ? `: found in ${props.matches.size} attachment${props.matches.size === 1 ? '' : 's'} below.`
            : '.'}{' '}
          <a href={`${projectBase}/log?${new URLSearchParams({ q: props.search }).toString()}`}>
            Back to the results
          </a>
        </p>
      ) : null}
      {props.messages.length === 0 ? <p class="empty">This thread has no messages.</p> : null}
      <ol class="thread">
        {props.messages.map((message) => {
          const attachments = props.attachments.filter((a) => a.message_id === message.id);
          const cc = addressList(message.cc_addresses);
          return (
            <li class="message" id={`m${message.id}`}>
              <header class="message-head">
                <h2>{message.subject || '(no subject)'}</h2>
                <dl class="message-meta">
                  <dt>Date</dt>
                  <dd>
                    <time datetime={(message.sent_at ?? message.received_at).toISOString()}>
                      {formatDate(message.sent_at ?? message.received_at, props.timezone)}
                    </time>
                  </dd>
                  <dt>From</dt>
                  <dd>
                    {message.from_name
                      ? `${message.from_name} <${message.from_address ?? ''}>`
                      : (message.from_address ?? '(unknown)')}
                  </dd>
                  <dt>To</dt>
                  <dd>{addressList(message.to_addresses) || '—'}</dd>
                  {cc ? (
                    <>
                      <dt>Cc</dt>
                      <dd>{cc}</dd>
                    </>
                  ) : null}
                </dl>
                {message.flags.length > 0 ? (
                  <ul class="flags">
                    {message.flags.map((flag) => (
                      <li class="flag">{flag}</li>
                    ))}
                  </ul>
                ) : null}
              </header>
              {message.parse_warnings.length > 0 ? (
                <ul class="parse-warnings">
                  {message.parse_warnings.map((warning) => (
                    <li>{warning}</li>
                  ))}
                </ul>
              ) : null}
              <details class="filing-reasons">
                <summary>Why filed here</summary>
                <ul>
                  {message.filing_reasons.map((reason) => (
                    <li>
                      <span class="rule">{reason.rule}</span>: {reason.detail}
                    </li>
                  ))}
                </ul>
              </details>
              <div class="message-body">
                <MessageBody
                  message={message}
                  attachments={attachments}
                  projectBase={projectBase}
                  threadBase={threadBase}
                  view={props.view}
                  allowRemoteImages={props.allowRemoteImages}
                />
              </div>
              {attachments.length > 0 ? (
                <ul class="attachments">
                  {attachments.map((a) => {
                    const match = props.matches.get(a.id);
                    return (
                      <li class={match ? 'matched' : undefined}>
                        <a href={`${projectBase}/attachments/${a.id}`} download>
                          {a.filename ?? `attachment-${a.id}`}
                        </a>{' '}
                        <span class="type">{a.content_type}</span>{' '}
                        <span class="size">{formatSize(a.size)}</span>{' '}
                        {/* A picture that says it is one obviously has no text to search. */}
                        {a.content_type.startsWith('image/') ? null : (
                          <span class="text-state">{describeTextStatus(textStatusOf(a))}</span>
                        )}
                        {match && match.headline.length > 0 ? (
                          <div class="attachment-match">
                            <Headline parts={match.headline} />
                          </div>
                        ) : null}
                      </li>
                    );
                  })}
                </ul>
              ) : null}
              <p class="raw">
                <a href={`${projectBase}/messages/${message.id}/raw`}>
                  Download original (.eml, {formatSize(message.raw_size)})
                </a>{' '}
                SHA-256 <code>{message.raw_sha256}</code>
              </p>
            </li>
          );
        })}
      </ol>
    </Layout>
  );
}
