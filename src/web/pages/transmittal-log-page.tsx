import type { SessionUser } from '../../auth/web-session.js';
import type { TransmittalLogEntry } from '../../transmittals/transmittal-log.js';
import { Layout } from '../components/layout.js';
import { Person, projectPath, When } from './record-format.js';

export interface TransmittalLogPageProps {
  user: SessionUser;
  csrfToken: string;
  project: { code: string; name: string; timezone: string };
  /** Where people send documents to issue a transmittal: `twr-a+transmittal@docket.example`. */
  transmittalAddress: string;
  transmittals: TransmittalLogEntry[];
}

/** `GET /p/:code/transmittals`: every transmittal by number, with who has acknowledged it. */
export function TransmittalLogPage(props: TransmittalLogPageProps) {
  const { project } = props;
  return (
    <Layout
      title={`Transmittals · ${project.name}`}
      user={props.user}
      csrfToken={props.csrfToken}
      project={project}
      section="transmittals"
      wide
    >
      <h1>Transmittals</h1>
      {props.transmittals.length === 0 ? (
        <div class="empty">
          <p>No transmittals yet.</p>
          <p>
            To issue one, email the documents as attachments to{' '}
            <code>{props.transmittalAddress}</code> with the recipients in To or Cc. The purpose
            goes in the subject, for example <code>[FOR APPROVAL] Level 3 slab</code>.
          </p>
        </div>
      ) : (
        <div class="table-scroll" role="region" aria-label="Transmittals" tabindex={0}>
          <table class="log records">
            <thead>
              <tr>
                <th scope="col">Number</th>
                <th scope="col">Subject</th>
                <th scope="col">From</th>
                <th scope="col">To / Cc</th>
                <th scope="col">Sent via</th>
                <th scope="col">Purpose</th>
                <th scope="col">Items</th>
                <th scope="col">Sent ({project.timezone})</th>
                <th scope="col">Acknowledged</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {props.transmittals.map((t) => (
                <TransmittalRow code={project.code} zone={project.timezone} t={t} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}

function TransmittalRow(props: { code: string; zone: string; t: TransmittalLogEntry }) {
  const { t } = props;
  const acknowledged = t.recipients.filter((r) => r.acknowledgedAt !== null).length;
  const total = t.recipients.length;
  const outstanding = t.recipients.filter((r) => r.acknowledgedAt === null);
  return (
    <tr class={t.overdue ? 'overdue' : undefined}>
      <th scope="row" class="nowrap">
        <a href={projectPath(props.code, `/transmittals/${t.number}`)}>{t.number}</a>
      </th>
      <td>{t.subject}</td>
      <td>
        <Person address={t.sender} name={t.senderName} />
      </td>
      <td>
        {t.recipients.map((r, i) => (
          <>
            {i > 0 ? ', ' : ''}
            {r.role === 'cc' ? <span class="muted">cc </span> : null}
            <Person address={r.email} name={r.name} />
          </>
        ))}
      </td>
      <td>{t.sentVia}</td>
      <td>{t.purpose}</td>
      <td class="num">{t.itemCount}</td>
      <td class="nowrap">
        <When at={t.createdAt} zone={props.zone} />
      </td>
      <td class="nowrap">
        <span class={outstanding.length > 0 ? 'outstanding' : 'complete'}>
          {acknowledged} of {total}
        </span>
        {outstanding.length > 0 ? (
          <div class="muted">awaiting {outstanding.map((r) => r.name || r.email).join(', ')}</div>
        ) : null}
      </td>
      <td class="nowrap">
        <Status status={t.status} overdue={t.overdue} />
      </td>
    </tr>
  );
}

/** Open or closed, and "Overdue" in words (not colour alone) when acknowledgements are late. */
export function Status(props: { status: 'open' | 'closed'; overdue: boolean }) {
  return (
    <>
      {props.status === 'open' ? 'Open' : 'Closed'}
      {props.overdue ? <span class="badge badge-overdue">Overdue</span> : null}
    </>
  );
}
