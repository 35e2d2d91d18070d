import type { Child } from 'hono/jsx';
import type { SessionUser } from '../../auth/web-session.js';
import type { SubmittalDetail } from '../../submittals/submittal-detail.js';
import { submittalNumber } from '../../submittals/submittal-request.js';
import { submittalSlug } from '../../submittals/submittal-slug.js';
import { Layout } from '../components/layout.js';
import { SubmittalAuditTrail } from './submittal-audit-trail.js';
import { DecisionBadge, OrDash, SubmittalWhen } from './submittal-format.js';
import { SubmittalRevision } from './submittal-revision.js';

export interface SubmittalDetailPageProps {
  user: SessionUser;
  csrfToken: string;
  project: { code: string; name: string };
  timezone: string;
  detail: SubmittalDetail;
  now: Date;
}

/** `GET /p/:code/submittals/:number`: the record, each revision's review, and its audit trail. */
export function SubmittalDetailPage(props: SubmittalDetailPageProps) {
  const { project, detail, timezone: zone } = props;
  const s = detail.submittal;
  const base = submittalNumber(s.spec_section, s.seq);
  const slug = submittalSlug(s.spec_section, s.seq);
  const overdue = s.status !== 'closed' && s.due_at !== null && s.due_at < props.now;
  const code = encodeURIComponent(project.code);
  const status = s.status.charAt(0).toUpperCase() + s.status.slice(1);
  return (
    <Layout
      title={`${base}.${s.revision} · ${project.name}`}
      user={props.user}
      csrfToken={props.csrfToken}
      project={project}
      section="submittals"
      wide
    >
      <div class="submittal-detail">
        <p class="breadcrumb">
          <a href={`/p/${code}/submittals`}>Submittal register</a>
        </p>
        <h1>
          <span class="number">
            {base}.{s.revision}
          </span>{' '}
          {s.title}
        </h1>
        {overdue ? (
          <p class="overdue-note" role="status">
            <span class="badge overdue-badge">Overdue</span> The review was due{' '}
            <SubmittalWhen at={s.due_at} zone={zone} dateOnly />.
          </p>
        ) : null}
        <dl class="facts header-facts">
          <Fact label="Status">
            {status} {s.decision ? <DecisionBadge decision={s.decision} /> : null}
          </Fact>
          <Fact label="Ball in court">
            {s.ball_in_court.length > 0 ? (
              <strong class="bic">{s.ball_in_court.join(', ')}</strong>
            ) : (
              <span class="muted">—</span>
            )}
          </Fact>
          <Fact label="Spec section">{s.spec_section}</Fact>
          <Fact label="Type">{s.type}</Fact>
          <Fact label="Submitter">
            {s.submitter_name ? (
              <>
                {s.submitter_name} <span class="nowrap">&lt;{s.submitter}&gt;</span>
              </>
            ) : (
              s.submitter
            )}
          </Fact>
          <Fact label="Responsible contractor">
            <OrDash text={s.responsible_contractor} />
          </Fact>
          <Fact label="Submittal manager">
            <OrDash text={s.submittal_manager} />
          </Fact>
          <Fact label="Due">
            <SubmittalWhen at={s.due_at} zone={zone} dateOnly />
          </Fact>
          <Fact label="First received">
            <SubmittalWhen at={s.received_at} zone={zone} />
          </Fact>
          <Fact label="Issued">
            <SubmittalWhen at={s.issued_at} zone={zone} />
          </Fact>
          <Fact label="Required on site">
            <OrDash text={s.required_on_site} />
          </Fact>
          <Fact label="Lead time">
            <OrDash text={s.lead_time_days === null ? null : `${s.lead_time_days} days`} />
          </Fact>
          <Fact label="Distribution">
            <OrDash text={s.distribution.join(', ')} />
          </Fact>
          <Fact label="Correspondence">
            {s.thread_id === null ? (
              <span class="muted">—</span>
            ) : (
              <a href={`/p/${code}/threads/${s.thread_id}`}>The submittal's thread</a>
            )}
          </Fact>
        </dl>
        <h2>Revisions</h2>
        {detail.revisions.length === 0 ? (
          <p class="empty">No revisions recorded.</p>
        ) : (
          detail.revisions.map((revision) => (
            <SubmittalRevision
              code={project.code}
              slug={slug}
              number={base}
              revision={revision}
              timezone={zone}
            />
          ))
        )}
        <h2>Audit trail</h2>
        <p class="muted">Every event in order, with times in {zone}.</p>
        <SubmittalAuditTrail code={project.code} events={detail.audit} timezone={zone} />
      </div>
    </Layout>
  );
}

function Fact(props: { label: string; children?: Child }) {
  return (
    <div>
      <dt>{props.label}</dt>
      <dd>{props.children}</dd>
    </div>
  );
}
