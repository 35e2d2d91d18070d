import { DateTime } from 'luxon';
import type { SessionUser } from '../../auth/web-session.js';
import type {
  CorrespondencePage,
  CorrespondenceRow,
} from '../../correspondence/correspondence-log.js';
import type { StoredAddress } from '../../db/database.js';
import { AttachmentMatches } from '../components/headline.js';
import { Layout } from '../components/layout.js';

/** The filter form's fields, as the person typed them. */
export interface LogForm {
  from: string;
  to: string;
  sender: string;
  recipient: string;
  type: string;
  attachments: string;
  flags: string[];
  q: string;
  sort: string;
}

export interface LogPageProps {
  user: SessionUser;
  csrfToken: string;
  project: { code: string; name: string };
  timezone: string;
  form: LogForm;
  /** Null when the filters or cursor were refused; `error` then says why. */
  page: CorrespondencePage | null;
  /** Names of the project's own addresses on the page ("reply to 03 30 00-001.0 review"). */
  ownAddresses?: ReadonlyMap<string, string>;
  error?: string;
}

const FLAG_OPTIONS: [string, string][] = [
  ['auto-reply', 'Auto-reply'],
  ['bounce', 'Bounce'],
  ['list', 'Mailing list'],
  ['bulk', 'Bulk'],
  ['own', 'Sent by Docket'],
  ['parse-warning', 'Parse warning'],
];
/** The flags worth a badge in the table. */
const BADGES = new Set(['own', 'auto-reply', 'bounce', 'list', 'parse-warning']);
const BADGE_LABELS = new Map(FLAG_OPTIONS);

/**
 * A row's badges. Docket's own notifications carry `Auto-Submitted` (so that no one's
 * out-of-office answers them), which makes them auto-replies by the rules; "Sent by Docket" says
 * what they are.
 */
function badgesOf(flags: readonly string[]): string[] {
  const own = flags.includes('own');
  return flags.filter((flag) => BADGES.has(flag) && !(own && flag === 'auto-reply'));
}
const SORTS: [string, string][] = [
  ['newest', 'Newest first'],
  ['oldest', 'Oldest first'],
  ['sender', 'Sender (A–Z)'],
  ['subject', 'Subject (A–Z)'],
];
const TYPES: [string, string][] = [
  ['', 'Any'],
  ['submittal', 'Submittal'],
  ['transmittal', 'Transmittal'],
  ['item', 'Item (RFI, notice…)'],
];

/** The query string of this page's filters, with a cursor when paging. */
export function logHref(code: string, form: LogForm, cursor?: string): string {
  const params = new URLSearchParams();
  for (const key of [
    'from',
    'to',
    'sender',
    'recipient',
    'type',
    'attachments',
    'q',
    'sort',
  ] as const) {
    if (form[key]) params.set(key, form[key]);
  }
  for (const flag of form.flags) params.append('flag', flag);
  if (cursor) params.set('cursor', cursor);
  const query = params.toString();
  return `/p/${encodeURIComponent(code)}/log${query ? `?${query}` : ''}`;
}

/** `GET /p/:code/log`: filters, then a table of messages, then paging links. */
export function LogPage(props: LogPageProps) {
  const { project, form, page } = props;
  const filtered = logHref(project.code, form) !== logHref(project.code, emptyForm());
  return (
    <Layout
      title={`Log · ${project.name}`}
      user={props.user}
      csrfToken={props.csrfToken}
      project={project}
      section="log"
      wide
    >
      <h1>Correspondence log</h1>
      <FilterForm code={project.code} form={form} timezone={props.timezone} />
      {props.error ? (
        <div class="error" role="alert">
          <p>
            <strong>These filters could not be used:</strong> {props.error}
          </p>
          <p>
            <a href={logHref(project.code, emptyForm())}>Show the whole log</a>
          </p>
        </div>
      ) : null}
      {page && page.rows.length === 0 ? (
        <div class="empty">
          {filtered ? (
            <p>No messages match these filters.</p>
          ) : (
            <p>Nothing has been filed yet. Mail sent to the project inbox appears here.</p>
          )}
        </div>
      ) : null}
      {page && page.rows.length > 0 ? (
        <>
          <div class="table-scroll" role="region" aria-label="Messages" tabindex={0}>
            <table class="log messages">
              <thead>
                <tr>
                  <th scope="col" class="subject">
                    Subject
                  </th>
                  <th scope="col" class="from">
                    From
                  </th>
                  <th scope="col" class="to">
                    To
                  </th>
                  <th scope="col" class="received">
                    Received{' '}
                    <span class="zone">
                      <Breakable text={props.timezone} after="/" />
                    </span>
                  </th>
                  <th scope="col" class="attachments">
                    <abbr title="Attachments">Files</abbr>
                  </th>
                  <th scope="col" class="badges">
                    Flags
                  </th>
                </tr>
              </thead>
              <tbody>
                {page.rows.map((row) => (
                  <LogRow
                    code={project.code}
                    row={row}
                    timezone={props.timezone}
                    ownAddresses={props.ownAddresses ?? new Map()}
                    q={form.q}
                  />
                ))}
              </tbody>
            </table>
          </div>
          <nav class="pager" aria-label="Pages">
            {page.prevCursor ? (
              <a rel="prev" href={logHref(project.code, form, page.prevCursor)}>
                Previous page
              </a>
            ) : null}
            {page.nextCursor ? (
              <a rel="next" href={logHref(project.code, form, page.nextCursor)}>
                Next page
              </a>
            ) : null}
          </nav>
        </>
      ) : null}
    </Layout>
  );
}

function emptyForm(): LogForm {
  return {
    from: '',
    to: '',
    sender: '',
    recipient: '',
    type: '',
    attachments: '',
    flags: [],
    q: '',
    sort: '',
  };
}

/** How many of the filters behind "More filters" are set; the section opens when any is. */
function advancedCount(form: LogForm): number {
  const fields = [form.from, form.to, form.sender, form.recipient, form.type, form.attachments];
  const sorted = form.sort !== '' && form.sort !== 'newest';
  return fields.filter(Boolean).length + (form.flags.length > 0 ? 1 : 0) + (sorted ? 1 : 0);
}

/** Search and the button first; the rest folds away (a <details>, so no JavaScript is needed). */
function FilterForm(props: { code: string; form: LogForm; timezone: string }) {
  const { form } = props;
  const advanced = advancedCount(form);
  return (
    <form method="get" action={`/p/${encodeURIComponent(props.code)}/log`} class="log-filters">
      <div class="search-row">
        <label for="log-q">Search</label>
        <div class="search-line">
          <input
            id="log-q"
            type="search"
            name="q"
            value={form.q}
            placeholder='Words in messages and attachments, "exact phrase", -without'
          />
          <button type="submit">Filter</button>
          <a href={`/p/${encodeURIComponent(props.code)}/log`}>Clear</a>
        </div>
      </div>
      <details class="more-filters" open={advanced > 0}>
        <summary>
          Dates, people, type, flags and order{advanced > 0 ? ` (${advanced} set)` : ''}
        </summary>
        <div class="filters">
          <div class="field">
            <label for="log-from">Received from</label>
            <input id="log-from" type="date" name="from" value={form.from} />
          </div>
          <div class="field">
            <label for="log-to">Received to</label>
            <input id="log-to" type="date" name="to" value={form.to} />
          </div>
          <div class="field">
            <label for="log-sender">Sender</label>
            <input
              id="log-sender"
              type="text"
              name="sender"
              value={form.sender}
              placeholder="name@example.com or @example.com"
            />
          </div>
          <div class="field">
            <label for="log-recipient">Recipient</label>
            <input
              id="log-recipient"
              type="text"
              name="recipient"
              value={form.recipient}
              placeholder="name@example.com or @example.com"
            />
          </div>
          <div class="field">
            <label for="log-type">Record type</label>
            <select id="log-type" name="type">
              {TYPES.map(([value, label]) => (
                <option value={value} selected={form.type === value}>
                  {label}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="log-attachments">Attachments</label>
            <select id="log-attachments" name="attachments">
              <option value="" selected={form.attachments === ''}>
                Any
              </option>
              <option value="yes" selected={form.attachments === 'yes'}>
                With attachments
              </option>
              <option value="no" selected={form.attachments === 'no'}>
                Without attachments
              </option>
            </select>
          </div>
          <div class="field">
            <label for="log-sort">Sort</label>
            <select id="log-sort" name="sort">
              {SORTS.map(([value, label]) => (
                <option value={value} selected={(form.sort || 'newest') === value}>
                  {label}
                </option>
              ))}
            </select>
          </div>
          <fieldset class="field wide flag-choices">
            <legend>Flags (any of)</legend>
            {FLAG_OPTIONS.map(([value, label]) => (
              <label class="check">
                <input
                  type="checkbox"
                  name="flag"
                  value={value}
                  checked={form.flags.includes(value)}
                />{' '}
                {label}
              </label>
            ))}
          </fieldset>
          <p class="hint wide">
            Dates are whole days in the project's time zone ({props.timezone}).
          </p>
        </div>
      </details>
    </form>
  );
}

/**
 * One message: its subject and first words lead; then who wrote it, to whom (the project's own
 * addresses by what they are), when, how many files and its badges.
 */
function LogRow(props: {
  code: string;
  row: CorrespondenceRow;
  timezone: string;
  ownAddresses: ReadonlyMap<string, string>;
  q: string;
}) {
  const { row } = props;
  const base = `/p/${encodeURIComponent(props.code)}`;
  // A search carries on into the thread, which marks the attachments it found.
  const threadHref = `${base}/threads/${row.threadId}${props.q ? `?${new URLSearchParams({ q: props.q }).toString()}` : ''}`;
  const when = DateTime.fromJSDate(row.receivedAt, { zone: props.timezone });
  const badges = badgesOf(row.flags);
  const files = row.attachmentCount;
  return (
    <tr>
      <td class="subject">
        <a href={threadHref}>{row.subject || '(no subject)'}</a>
        {row.snippet ? <div class="snippet">{row.snippet}</div> : null}
        <AttachmentMatches
          matches={row.attachmentMatches}
          href={(id) => `${base}/attachments/${id}`}
        />
      </td>
      <td class="from">
        {row.fromAddress ? (
          <span class="addr" title={row.fromAddress}>
            {row.fromName || <Breakable text={row.fromAddress} after="@" />}
          </span>
        ) : (
          <span class="muted">(unknown)</span>
        )}
      </td>
      <td class="to">
        <Addresses list={row.to} total={row.toCount} names={props.ownAddresses} />
      </td>
      <td class="received">
        <time datetime={row.receivedAt.toISOString()}>
          <span class="day">{when.toFormat('yyyy-LL-dd')}</span>{' '}
          <span class="clock">{when.toFormat('HH:mm')}</span>
        </time>
      </td>
      <td class="attachments num">
        {files > 0 ? (
          <>
            {files}
            <span class="unit">{files === 1 ? ' attachment' : ' attachments'}</span>
          </>
        ) : null}
      </td>
      <td class="badges">
        {badges.map((flag) => (
          <span class={`badge badge-${flag}`}>{BADGE_LABELS.get(flag) ?? flag}</span>
        ))}
      </td>
    </tr>
  );
}

/** The first To addresses by name (the project's own by what they are), then how many more. */
function Addresses(props: {
  list: StoredAddress[];
  total: number;
  names: ReadonlyMap<string, string>;
}) {
  const more = props.total - props.list.length;
  return (
    <>
      {props.list.map((a) => (
        <span class="addr" title={a.address}>
          {props.names.get(a.address.toLowerCase()) ??
            (a.name || <Breakable text={a.address} after="@" />)}
        </span>
      ))}
      {more > 0 ? <span class="more">+{more} more</span> : null}
    </>
  );
}

/**
 * Text that wraps after each `after` (an address after its `@`: mailbox on one line, domain on the
 * next; a time zone after its `/`) rather than at whatever letter meets the column's edge; only a
 * part too long for a line breaks inside.
 */
function Breakable(props: { text: string; after: string }) {
  const parts = props.text.split(props.after);
  return (
    <>
      {parts.map((part, i) => (
        <>
          {i > 0 ? <wbr /> : null}
          {part}
          {i < parts.length - 1 ? props.after : ''}
        </>
      ))}
    </>
  );
}
