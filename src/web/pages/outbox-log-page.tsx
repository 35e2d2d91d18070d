import type { SessionUser } from '../../auth/web-session.js';
import type { OutboxStatus } from '../../db/database.js';
import { OUTBOX_STATUSES, type OutboxLogPage as Page } from '../../outbox/outbox-log.js';
import { Layout } from '../components/layout.js';
import { projectPath, When } from './record-format.js';

export interface OutboxLogPageProps {
  user: SessionUser;
  csrfToken: string;
  project: { code: string; name: string; timezone: string };
  /** The status asked for, as typed ('' for every status). */
  status: string;
  counts: Record<OutboxStatus, number>;
  /** Whether this is a later page (a link back to the newest is shown). */
  paged: boolean;
  /** Null when the filter or page link was refused; `error` then says why. */
  page: Page | null;
  error?: string;
}

const LABELS: Record<OutboxStatus, string> = {
  captured: 'Captured',
  queued: 'Queued',
  sent: 'Sent',
  failed: 'Failed',
};

/** The page's address with a status and, when paging, where the page starts. */
export function outboxHref(code: string, status: string, before?: number): string {
  const params = new URLSearchParams();
  if (status) params.set('status', status);
  if (before !== undefined) params.set('before', String(before));
  const query = params.toString();
  return projectPath(code, `/outbox${query ? `?${query}` : ''}`);
}

/** `GET /p/:code/outbox`: the project's outbound mail, newest first, by delivery status. */
export function OutboxLogPage(props: OutboxLogPageProps) {
  const { project, page, counts } = props;
  const total = OUTBOX_STATUSES.reduce((sum, s) => sum + counts[s], 0);
  const tabs: [string, string, number][] = [
    ['', 'All', total],
    ...OUTBOX_STATUSES.map((s): [string, string, number] => [s, LABELS[s], counts[s]]),
  ];
  return (
    <Layout
      title={`Outbox · ${project.name}`}
      user={props.user}
      csrfToken={props.csrfToken}
      project={project}
      section="outbox"
      wide
    >
      <h1>Outbox</h1>
      <p class="muted">
        Mail Docket wrote for this project. Captured mail was kept here because no relay is
        configured; failed mail could not be delivered.
      </p>
      <nav aria-label="Status" class="status-tabs">
        <ul>
          {tabs.map(([status, label, count]) => (
            <li>
              <a
                href={outboxHref(project.code, status)}
                aria-current={props.status === status ? 'page' : undefined}
                class={status === 'failed' && count > 0 ? 'has-failed' : undefined}
              >
                {label} <span class="count">({count})</span>
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {props.error ? (
        <div class="error" role="alert">
          <p>
            <strong>This list could not be shown:</strong> {props.error}
          </p>
          <p>
            <a href={outboxHref(project.code, '')}>Show all outbound mail</a>
          </p>
        </div>
      ) : null}
      {page && page.rows.length === 0 ? (
        <div class="empty">
          <p>
            {props.status
              ? `No ${props.status} mail.`
              : 'No mail yet. Notifications about submittals, transmittals and items appear here.'}
          </p>
        </div>
      ) : null}
      {page && page.rows.length > 0 ? (
        <>
          <div class="table-scroll" role="region" aria-label="Outbound mail" tabindex={0}>
            <table class="log records">
              <thead>
                <tr>
                  <th scope="col">Created ({project.timezone})</th>
                  <th scope="col">Kind</th>
                  <th scope="col">To</th>
                  <th scope="col">Subject</th>
                  <th scope="col">Status</th>
                  <th scope="col">Attempts</th>
                  <th scope="col">Last error</th>
                  <th scope="col">Sent</th>
                </tr>
              </thead>
              <tbody>
                {page.rows.map((row) => (
                  <tr class={row.status === 'failed' ? 'failed' : undefined}>
                    <td class="nowrap">
                      <When at={row.createdAt} zone={project.timezone} />
                    </td>
                    <td>{row.kind}</td>
                    <td>{row.to.join(', ')}</td>
                    <td>
                      <a href={projectPath(project.code, `/outbox/${row.id}`)}>
                        {row.subject || '(no subject)'}
                      </a>
                    </td>
                    <td class="nowrap">
                      <span class={`badge badge-${row.status}`}>{LABELS[row.status]}</span>
                    </td>
                    <td class="num">{row.attempts}</td>
                    <td>{row.lastError ?? <span class="muted">—</span>}</td>
                    <td class="nowrap">
                      <When at={row.sentAt} zone={project.timezone} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <nav class="pager" aria-label="Pages">
            {props.paged ? <a href={outboxHref(project.code, props.status)}>Newest mail</a> : null}
            {page.nextBefore !== null ? (
              <a rel="next" href={outboxHref(project.code, props.status, page.nextBefore)}>
                Older mail
              </a>
            ) : null}
          </nav>
        </>
      ) : null}
    </Layout>
  );
}
