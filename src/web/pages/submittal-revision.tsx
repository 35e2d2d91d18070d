import type { DetailDocument, DetailRevision } from '../../submittals/submittal-detail.js';
import { reviewersText } from '../../submittals/register-cells.js';
import { DecisionBadge, OrDash, SubmittalWhen, submittalPath } from './submittal-format.js';

const STATES = {
  waiting: 'Waiting for an earlier step',
  pending: 'Reviewing',
  answered: 'Answered',
};

/** One revision: when it came, its documents, each reviewer's answer and the mark-ups. */
export function SubmittalRevision(props: {
  code: string;
  slug: string;
  number: string;
  revision: DetailRevision;
  timezone: string;
}) {
  const { revision: r, timezone: zone } = props;
  const documents = r.documents.filter((d) => d.kind === 'document');
  const markups = r.documents.filter((d) => d.kind === 'markup');
  const id = `revision-${r.revision}`;
  return (
    <section class="revision" aria-labelledby={id}>
      <h3 id={id}>
        Revision {props.number}.{r.revision}
      </h3>
      <dl class="facts">
        <div>
          <dt>Received</dt>
          <dd>
            <SubmittalWhen at={r.receivedAt} zone={zone} />
          </dd>
        </div>
        <div>
          <dt>Decision</dt>
          <dd>
            {r.decision ? <DecisionBadge decision={r.decision} /> : 'In review'}
            {r.decidedAt ? (
              <>
                {' '}
                (<SubmittalWhen at={r.decidedAt} zone={zone} />)
              </>
            ) : null}
          </dd>
        </div>
        <div>
          <dt>Reviewers</dt>
          <dd>
            <OrDash text={reviewersText(r.steps)} />
          </dd>
        </div>
      </dl>
      <h4>Documents</h4>
      <DocumentList {...props} documents={documents} empty="No documents." />
      <h4>Review steps</h4>
      {r.reviews.length === 0 ? (
        <p class="muted">No review steps: the project had no workflow for this section.</p>
      ) : (
        <div
          class="table-scroll"
          role="region"
          aria-label={`Reviews of .${r.revision}`}
          tabindex={0}
        >
          <table class="log reviews">
            <thead>
              <tr>
                <th scope="col">Step</th>
                <th scope="col">Reviewer</th>
                <th scope="col">State</th>
                <th scope="col">Decision</th>
                <th scope="col">Answered</th>
                <th scope="col">Due</th>
                <th scope="col">Comment</th>
              </tr>
            </thead>
            <tbody>
              {r.reviews.map((review) => (
                <tr class={review.state === 'pending' ? 'holding' : undefined}>
                  <td class="num">{review.step + 1}</td>
                  <td>{review.reviewer}</td>
                  <td>
                    {STATES[review.state]}
                    {review.state === 'pending' ? (
                      <span class="badge bic-badge">Ball in court</span>
                    ) : null}
                  </td>
                  <td>
                    <DecisionBadge decision={review.decision} />
                  </td>
                  <td class="nowrap">
                    <SubmittalWhen at={review.answeredAt} zone={zone} />
                  </td>
                  <td class="nowrap">
                    <SubmittalWhen at={review.dueAt} zone={zone} dateOnly />
                  </td>
                  <td class="comment">
                    <OrDash text={review.comment} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h4>Mark-ups</h4>
      <DocumentList {...props} documents={markups} empty="No mark-ups." />
    </section>
  );
}

function DocumentList(props: {
  code: string;
  slug: string;
  documents: DetailDocument[];
  empty: string;
}) {
  if (props.documents.length === 0) return <p class="muted">{props.empty}</p>;
  return (
    <ul class="documents">
      {props.documents.map((d) => (
        <li>
          <a href={submittalPath(props.code, props.slug, `/documents/${d.attachmentId}`)}>
            {d.filename ?? `document-${d.attachmentId}`}
          </a>{' '}
          <span class="muted">
            {formatSize(d.size)}
            {d.addedBy ? `, from ${d.addedBy}` : ''}
          </span>
          <div>
            <code class="hash" title="SHA-256 fingerprint">
              SHA-256 {d.sha256}
            </code>
          </div>
        </li>
      ))}
    </ul>
  );
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
