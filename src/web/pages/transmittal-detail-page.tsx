import type { SessionUser } from '../../auth/web-session.js';
import type { TransmittalDetail } from '../../transmittals/transmittal-detail.js';
import { Layout } from '../components/layout.js';
import { formatBytes, Person, projectPath, When } from './record-format.js';
import { Status } from './transmittal-log-page.js';

export interface TransmittalDetailPageProps {
  user: SessionUser;
  csrfToken: string;
  project: { code: string; name: string; timezone: string };
  transmittal: TransmittalDetail;
  now: Date;
}

/** `GET /p/:code/transmittals/TR-0001`: what was sent, to whom, and who has acknowledged it. */
export function TransmittalDetailPage(props: TransmittalDetailPageProps) {
  const { project, transmittal: t } = props;
  const zone = project.timezone;
  const base = projectPath(project.code, `/transmittals/${t.number}`);
  const late = t.status === 'open' && t.dueAt !== null && t.dueAt < props.now;
  return (
    <Layout
      title={`${t.number} · ${project.name}`}
      user={props.user}
      csrfToken={props.csrfToken}
      project={project}
      section="transmittals"
    >
      <p class="crumbs">
        <a href={projectPath(project.code, '/transmittals')}>Transmittals</a>
      </p>
      <h1>
        {t.number}: {t.subject}
      </h1>
      <dl class="record-fields">
        <dt>Status</dt>
        <dd>
          <Status status={t.status} overdue={late} />
        </dd>
        <dt>From</dt>
        <dd>
          <Person address={t.sender} name={t.senderName} /> <span class="muted">{t.sender}</span>
        </dd>
        <dt>Purpose</dt>
        <dd>{t.purpose}</dd>
        <dt>Sent via</dt>
        <dd>{t.sentVia}</dd>
        <dt>Sent</dt>
        <dd>
          <When at={t.createdAt} zone={zone} /> <span class="muted">({zone})</span>
        </dd>
        <dt>Acknowledge by</dt>
        <dd>
          <When at={t.dueAt} zone={zone} />
        </dd>
        {t.closedAt ? (
          <>
            <dt>Closed</dt>
            <dd>
              <When at={t.closedAt} zone={zone} />
            </dd>
          </>
        ) : null}
      </dl>
      <ul class="record-links">
        {t.coverSha256 ? (
          <li>
            <a href={`${base}/cover-sheet.pdf`}>Cover sheet (PDF)</a>
          </li>
        ) : null}
        {t.threadId ? (
          <li>
            <a href={projectPath(project.code, `/threads/${t.threadId}`)}>Email thread</a>
          </li>
        ) : null}
      </ul>

      <h2>Recipients</h2>
      <div class="table-scroll" role="region" aria-label="Recipients" tabindex={0}>
        <table class="log records narrow">
          <thead>
            <tr>
              <th scope="col">Recipient</th>
              <th scope="col">As</th>
              <th scope="col">Acknowledged ({zone})</th>
            </tr>
          </thead>
          <tbody>
            {t.recipients.map((r) => (
              <tr class={r.acknowledgedAt === null && late ? 'overdue' : undefined}>
                <td>
                  {r.name ? `${r.name} ` : ''}
                  <span class={r.name ? 'muted' : undefined}>{r.email}</span>
                </td>
                <td>{r.role === 'to' ? 'To' : 'Cc'}</td>
                <td>
                  {r.acknowledgedAt ? (
                    <When at={r.acknowledgedAt} zone={zone} />
                  ) : (
                    <span class="outstanding">
                      awaiting{late ? <span class="badge badge-overdue">Overdue</span> : null}
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2>Items</h2>
      <div class="table-scroll" role="region" aria-label="Items" tabindex={0}>
        <table class="log records">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Description</th>
              <th scope="col">Format</th>
              <th scope="col">Copies</th>
              <th scope="col">File</th>
              <th scope="col">Size</th>
              <th scope="col">SHA-256</th>
            </tr>
          </thead>
          <tbody>
            {t.items.map((item) => (
              <tr>
                <td class="num">{item.position + 1}</td>
                <td>{item.description}</td>
                <td>{item.format}</td>
                <td class="num">{item.copies}</td>
                <td>
                  {item.downloadable ? (
                    <a href={`${base}/items/${item.position + 1}`} download>
                      {item.fileName}
                    </a>
                  ) : (
                    item.fileName
                  )}
                </td>
                <td class="num nowrap">{formatBytes(item.size)}</td>
                <td>
                  <code class="hash">{item.sha256}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2>Remarks</h2>
      {t.remarks.trim() ? <p class="remarks">{t.remarks}</p> : <p class="muted">No remarks.</p>}
    </Layout>
  );
}
