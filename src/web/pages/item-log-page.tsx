import type { SessionUser } from '../../auth/web-session.js';
import type { ItemLogEntry } from '../../items/item-log.js';
import { ITEM_TYPES } from '../../items/item-types.js';
import { Layout } from '../components/layout.js';
import { Person, projectPath, When } from './record-format.js';

/** The filter form's fields, as the person chose them. */
export interface ItemFilters {
  type: string;
  status: string;
}

export const ITEM_STATUS_FILTERS: [string, string][] = [
  ['', 'Any'],
  ['open', 'Open'],
  ['overdue', 'Overdue'],
  ['answered', 'Answered'],
  ['closed', 'Closed'],
];

export interface ItemLogPageProps {
  user: SessionUser;
  csrfToken: string;
  project: { code: string; name: string; timezone: string };
  /** Where people email a new RFI: `twr-a+rfi@docket.example`. */
  rfiAddress: string;
  filters: ItemFilters;
  /** Null when the filters were refused; `error` then says why. */
  items: ItemLogEntry[] | null;
  error?: string;
}

/** `GET /p/:code/items`: RFIs, notices, letters… with who holds the ball and what is late. */
export function ItemLogPage(props: ItemLogPageProps) {
  const { project, filters, items } = props;
  const filtered = filters.type !== '' || filters.status !== '';
  return (
    <Layout
      title={`RFIs & items · ${project.name}`}
      user={props.user}
      csrfToken={props.csrfToken}
      project={project}
      section="items"
      wide
    >
      <h1>RFIs and other items</h1>
      <form method="get" action={projectPath(project.code, '/items')} class="filters">
        <div class="field">
          <label for="items-type">Type</label>
          <select id="items-type" name="type">
            <option value="" selected={filters.type === ''}>
              Any
            </option>
            {ITEM_TYPES.map((t) => (
              <option value={t.prefix} selected={filters.type === t.prefix}>
                {t.prefix} — {t.label}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="items-status">Status</label>
          <select id="items-status" name="status">
            {ITEM_STATUS_FILTERS.map(([value, label]) => (
              <option value={value} selected={filters.status === value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div class="actions wide">
          <button type="submit">Filter</button>{' '}
          <a href={projectPath(project.code, '/items')}>Clear</a>
        </div>
      </form>
      {props.error ? (
        <div class="error" role="alert">
          <p>
            <strong>These filters could not be used:</strong> {props.error}
          </p>
          <p>
            <a href={projectPath(project.code, '/items')}>Show every item</a>
          </p>
        </div>
      ) : null}
      {items && items.length === 0 ? (
        <div class="empty">
          {filtered ? (
            <p>No items match these filters.</p>
          ) : (
            <p>
              No items yet. To ask a question, email <code>{props.rfiAddress}</code> with the person
              who should answer in To; other types use their own address, such as{' '}
              <code>{props.rfiAddress.replace('+rfi@', '+notice@')}</code>.
            </p>
          )}
        </div>
      ) : null}
      {items && items.length > 0 ? (
        <div class="table-scroll" role="region" aria-label="Items" tabindex={0}>
          <table class="log records">
            <thead>
              <tr>
                <th scope="col">Number</th>
                <th scope="col">Type</th>
                <th scope="col">Subject</th>
                <th scope="col">From</th>
                <th scope="col">Ball in court</th>
                <th scope="col">Due</th>
                <th scope="col">Status</th>
                <th scope="col">Answered / closed ({project.timezone})</th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <ItemRow code={project.code} zone={project.timezone} item={item} />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </Layout>
  );
}

function ItemRow(props: { code: string; zone: string; item: ItemLogEntry }) {
  const { item } = props;
  const type = ITEM_TYPES.find((t) => t.prefix === item.prefix);
  const finished = item.closedAt ?? item.answeredAt;
  return (
    <tr class={item.overdue ? 'overdue' : undefined}>
      <th scope="row" class="nowrap">
        <a href={projectPath(props.code, `/items/${item.number}`)}>{item.number}</a>
      </th>
      <td>{type?.label ?? item.prefix}</td>
      <td>{item.subject}</td>
      <td>
        <Person address={item.asker} name={item.askerName} />
      </td>
      <td>
        {item.ballInCourt.length > 0 ? item.ballInCourt.join(', ') : <span class="muted">—</span>}
      </td>
      <td class="nowrap">{item.dueDate ?? <span class="muted">—</span>}</td>
      <td class="nowrap">
        <ItemStatus status={item.status} overdue={item.overdue} />
      </td>
      <td class="nowrap">
        <When at={finished} zone={props.zone} />
      </td>
    </tr>
  );
}

/** The status in words, and "Overdue" in words too so it does not rest on colour alone. */
export function ItemStatus(props: { status: 'open' | 'answered' | 'closed'; overdue: boolean }) {
  const label = { open: 'Open', answered: 'Answered', closed: 'Closed' }[props.status];
  return (
    <>
      {label}
      {props.overdue ? <span class="badge badge-overdue">Overdue</span> : null}
    </>
  );
}
