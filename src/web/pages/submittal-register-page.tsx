import type { AttachmentMatch } from '../../attachment-text/attachment-matches.js';
import type { SessionUser } from '../../auth/web-session.js';
import {
  emptyRegisterForm,
  registerQueryString,
  type RegisterForm,
} from '../../submittals/register-filters.js';
import type { RegisterRow } from '../../submittals/submittal-register.js';
import { Layout } from '../components/layout.js';
import { SubmittalFilterForm } from './submittal-filter-form.js';
import { SubmittalRegisterTable } from './submittal-register-table.js';

export interface SubmittalRegisterPageProps {
  user: SessionUser;
  csrfToken: string;
  project: { code: string; name: string };
  timezone: string;
  /** Where a new submittal is sent: `twr-a+submittal@docket.example`. */
  submitAddress: string;
  form: RegisterForm;
  /** Null when the filters were refused; `error` then says why. */
  rows: RegisterRow[] | null;
  /** With a search: the documents of each submittal (by id) that hold its words. */
  documentMatches?: Map<number, AttachmentMatch[]>;
  error?: string;
}

/** `GET /p/:code/submittals`: filters, exports that carry them, and the register. */
export function SubmittalRegisterPage(props: SubmittalRegisterPageProps) {
  const { project, form, rows } = props;
  const base = `/p/${encodeURIComponent(project.code)}/submittals`;
  const query = registerQueryString(form);
  const filtered = query !== registerQueryString(emptyRegisterForm());
  const overdue = rows?.filter((r) => r.overdue).length ?? 0;
  return (
    <Layout
      title={`Submittals · ${project.name}`}
      user={props.user}
      csrfToken={props.csrfToken}
      project={project}
      section="submittals"
      wide
    >
      <div class="submittal-register">
        <h1>Submittal register</h1>
        <SubmittalFilterForm code={project.code} form={form} />
        {props.error ? (
          <div class="error" role="alert">
            <p>
              <strong>These filters could not be used:</strong> {props.error}
            </p>
            <p>
              <a href={base}>Show the whole register</a>
            </p>
          </div>
        ) : null}
        {rows && rows.length > 0 ? (
          <>
            <p class="register-summary">
              {rows.length} {rows.length === 1 ? 'submittal' : 'submittals'}
              {overdue > 0 ? `, ${overdue} overdue` : ''}. Export{filtered ? ' these' : ''}:{' '}
              <a href={`${base}.csv${query}`} download>
                CSV
              </a>{' '}
              ·{' '}
              <a href={`${base}.pdf${query}`} download>
                PDF
              </a>
            </p>
            <SubmittalRegisterTable
              code={project.code}
              rows={rows}
              timezone={props.timezone}
              documentMatches={props.documentMatches ?? new Map()}
            />
          </>
        ) : null}
        {rows && rows.length === 0 ? (
          <div class="empty">
            {filtered ? (
              <p>No submittals match these filters.</p>
            ) : (
              <>
                <p>No submittals yet.</p>
                <p>
                  Send mail with the documents attached to <code>{props.submitAddress}</code>, with
                  the spec section first in the subject (for example{' '}
                  <q>03 30 00 Concrete mix design</q>). Docket numbers it, sends it to the reviewers
                  and lists it here.
                </p>
              </>
            )}
          </div>
        ) : null}
      </div>
    </Layout>
  );
}
