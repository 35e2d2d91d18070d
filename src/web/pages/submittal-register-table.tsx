import type { AttachmentMatch } from '../../attachment-text/attachment-matches.js';
import type { RegisterRow } from '../../submittals/submittal-register.js';
import { AttachmentMatches } from '../components/headline.js';
import { reviewersText, statusText } from '../../submittals/register-cells.js';
import { DecisionBadge, OrDash, SubmittalWhen, submittalPath } from './submittal-format.js';

const HEADERS = [
  'Number',
  'Title',
  'Spec section',
  'Type',
  'Status',
  'Submitter',
  'Responsible contractor',
  'Submittal manager',
  'Ball in court',
  'Reviewers',
  'Due',
  'Received',
  'Issued',
  'Required on site',
  'Lead time',
  'Distribution',
  'Documents',
  'Thread',
];

/** Every register column; overdue rows and the ball-in-court cell are marked in words too. */
export function SubmittalRegisterTable(props: {
  code: string;
  rows: RegisterRow[];
  timezone: string;
  /** Documents a search found words in, by submittal id. */
  documentMatches?: Map<number, AttachmentMatch[]>;
}) {
  return (
    <div class="table-scroll" role="region" aria-label="Submittal register" tabindex={0}>
      <table class="log register">
        <caption class="visually-hidden">
          Submittals by spec section and number; dates in {props.timezone}
        </caption>
        <thead>
          <tr>
            {HEADERS.map((header) => (
              <th scope="col">{header}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <RegisterLine
              code={props.code}
              row={row}
              timezone={props.timezone}
              matches={props.documentMatches?.get(row.id) ?? []}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function RegisterLine(props: {
  code: string;
  row: RegisterRow;
  timezone: string;
  matches: readonly AttachmentMatch[];
}) {
  const { row, timezone: zone, code } = props;
  return (
    <tr class={row.overdue ? 'overdue' : undefined}>
      <th scope="row" class="nowrap">
        <a href={submittalPath(code, row.slug)}>{row.number}</a>
      </th>
      <td>
        {row.title}
        <AttachmentMatches
          matches={props.matches}
          href={(id) => `/p/${encodeURIComponent(code)}/attachments/${id}`}
        />
      </td>
      <td class="nowrap">{row.specSection}</td>
      <td>{row.type}</td>
      <td>
        {statusText({ status: row.status, decision: null })}
        {row.decision ? (
          <>
            {' '}
            <DecisionBadge decision={row.decision} />
          </>
        ) : null}
      </td>
      <td>
        {row.submitterName ? <span title={row.submitter}>{row.submitterName}</span> : row.submitter}
      </td>
      <td>
        <OrDash text={row.responsibleContractor} />
      </td>
      <td>
        <OrDash text={row.submittalManager} />
      </td>
      <td class="bic">
        {row.ballInCourt.length > 0 ? (
          <>
            <span class="bic-label">Ball in court: </span>
            {row.ballInCourt.map((holder, i) => (
              <>
                {i > 0 ? ', ' : ''}
                <strong>{holder}</strong>
              </>
            ))}
          </>
        ) : (
          <span class="muted">—</span>
        )}
      </td>
      <td>
        <OrDash text={reviewersText(row.reviewers)} />
      </td>
      <td class="nowrap due">
        <SubmittalWhen at={row.dueAt} zone={zone} dateOnly />
        {row.overdue ? (
          <>
            {' '}
            <span class="badge overdue-badge">Overdue</span>
          </>
        ) : null}
      </td>
      <td class="nowrap">
        <SubmittalWhen at={row.receivedAt} zone={zone} dateOnly />
      </td>
      <td class="nowrap">
        <SubmittalWhen at={row.issuedAt} zone={zone} dateOnly />
      </td>
      <td class="nowrap">
        <OrDash text={row.requiredOnSite} />
      </td>
      <td class="num">
        <OrDash text={row.leadTimeDays === null ? null : `${row.leadTimeDays} days`} />
      </td>
      <td>
        <OrDash text={row.distribution.join(', ')} />
      </td>
      <td class="num">{row.documentCount}</td>
      <td>
        {row.threadId === null ? (
          <span class="muted">—</span>
        ) : (
          <a href={`/p/${encodeURIComponent(code)}/threads/${row.threadId}`}>Thread</a>
        )}
      </td>
    </tr>
  );
}
