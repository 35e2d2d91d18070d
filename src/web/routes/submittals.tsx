import { Readable } from 'node:stream';
import { Hono, type Context } from 'hono';
import { DateTime } from 'luxon';
import type { AttachmentMatch } from '../../attachment-text/attachment-matches.js';
import { isDocketError } from '../../errors.js';
import { renderSubmittalRegisterPdf } from '../../pdf/submittal-register-pdf.js';
import {
  readRegisterForm,
  registerFilters,
  type RegisterFilters,
  type RegisterForm,
} from '../../submittals/register-filters.js';
import { findSubmittalDocument, loadSubmittalDetail } from '../../submittals/submittal-detail.js';
import { submittalRegisterCsv } from '../../submittals/submittal-register-csv.js';
import { listSubmittalRegister } from '../../submittals/submittal-register.js';
import { parseSubmittalSlug } from '../../submittals/submittal-slug.js';
import { registerDocumentMatches } from '../../submittals/register-document-matches.js';
import { SubmittalDetailPage } from '../pages/submittal-detail-page.js';
import { SubmittalRegisterPage } from '../pages/submittal-register-page.js';
import { loadProject, projectNotFound } from '../project-context.js';
import { requireUser } from '../session-middleware.js';
import type { WebDeps, WebEnv } from '../web-env.js';
import { contentDisposition, servedContentType } from './thread.js';

/**
 * The submittal register (page, CSV, PDF — all three take the same GET filters), each submittal's
 * detail page, and downloads of its documents and mark-ups, for the project's members.
 */
export function submittalsRoutes(deps: Required<WebDeps>): Hono<WebEnv> {
  const { db, blobs, now } = deps;
  const app = new Hono<WebEnv>();
  app.use('/p/:code/submittals', requireUser, loadProject(db));
  app.use('/p/:code/submittals.csv', requireUser, loadProject(db));
  app.use('/p/:code/submittals.pdf', requireUser, loadProject(db));
  app.use('/p/:code/submittals/*', requireUser, loadProject(db));

  app.get('/p/:code/submittals', async (c) => {
    const { project } = c.var;
    const form = readRegisterForm(c.req.query());
    const props = {
      user: c.var.user!,
      csrfToken: c.var.csrfToken,
      project,
      timezone: project.timezone,
      submitAddress: `${project.code}+submittal@${deps.mail.outbox.mailDomain}`,
      form,
    };
    const filters = filtersOrError(form);
    if ('error' in filters) {
      return c.html(<SubmittalRegisterPage {...props} rows={null} error={filters.error} />, 400);
    }
    const rows = await listSubmittalRegister(db, project.id, filters, now());
    const documentMatches = filters.text
      ? await registerDocumentMatches(
          db,
          project.id,
          rows.map((row) => row.id),
          filters.text,
        )
      : new Map<number, AttachmentMatch[]>();
    return c.html(
      <SubmittalRegisterPage {...props} rows={rows} documentMatches={documentMatches} />,
    );
  });

  app.get('/p/:code/submittals.csv', async (c) => {
    const { project } = c.var;
    const filters = filtersOrError(readRegisterForm(c.req.query()));
    if ('error' in filters) return badFilter(c, filters.error);
    const rows = await listSubmittalRegister(db, project.id, filters, now());
    const threadUrl = (id: number) =>
      `${deps.mail.publicUrl}/p/${encodeURIComponent(project.code)}/threads/${id}`;
    const csv = submittalRegisterCsv(rows, project.timezone, threadUrl);
    return c.body(csv, 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': contentDisposition('attachment', exportName(c, 'csv')),
    });
  });

  app.get('/p/:code/submittals.pdf', async (c) => {
    const { project } = c.var;
    const form = readRegisterForm(c.req.query());
    const filters = filtersOrError(form);
    if ('error' in filters) return badFilter(c, filters.error);
    const at = now();
    const rows = await listSubmittalRegister(db, project.id, filters, at);
    const pdf = await renderSubmittalRegisterPdf({
      project,
      generatedAt: at,
      timezone: project.timezone,
      filters: filtersInWords(form),
      rows,
    });
    return c.body(new Uint8Array(pdf), 200, {
      'Content-Type': 'application/pdf',
      'Content-Length': String(pdf.byteLength),
      'Content-Disposition': contentDisposition('attachment', exportName(c, 'pdf')),
      'X-Content-Type-Options': 'nosniff',
    });
  });

  app.get('/p/:code/submittals/:number', async (c) => {
    const { project } = c.var;
    const key = parseSubmittalSlug(c.req.param('number'));
    const detail = key ? await loadSubmittalDetail(db, project.id, key) : null;
    if (!detail) return projectNotFound(c);
    return c.html(
      <SubmittalDetailPage
        user={c.var.user!}
        csrfToken={c.var.csrfToken}
        project={project}
        timezone={project.timezone}
        detail={detail}
        now={now()}
      />,
    );
  });

  app.get('/p/:code/submittals/:number/documents/:id', async (c) => {
    const { project } = c.var;
    const key = parseSubmittalSlug(c.req.param('number'));
    const id = parseId(c.req.param('id'));
    const document = key && id ? await findSubmittalDocument(db, project.id, key, id) : undefined;
    if (!document) return projectNotFound(c);
    const stream = Readable.toWeb(await blobs.open(document.blob_sha256));
    return c.body(stream as ReadableStream<Uint8Array>, 200, {
      'Content-Type': servedContentType(document.content_type),
      'Content-Length': String(document.size),
      'Content-Disposition': contentDisposition(
        'attachment',
        document.filename ?? `document-${id}`,
      ),
      'X-Content-Type-Options': 'nosniff',
    });
  });

  /** `twr-a-submittal-register-2026-11-27.csv`, dated in the project's zone. */
  function exportName(c: Context<WebEnv>, extension: string): string {
    const day = DateTime.fromJSDate(now(), { zone: c.var.project.timezone }).toISODate();
    return `${c.var.project.code}-submittal-register-${day}.${extension}`;
  }

  return app;
}

function filtersOrError(form: RegisterForm): RegisterFilters | { error: string } {
  try {
    return registerFilters(form);
  } catch (error) {
    if (!isDocketError(error, 'invalid_input')) throw error;
    return { error: error.message };
  }
}

/** Exports have no form to show again: a short plain answer says what to fix. */
function badFilter(c: Context<WebEnv>, message: string) {
  return c.text(`These filters could not be used: ${message}\n`, 400);
}

function filtersInWords(form: RegisterForm): string | null {
  const parts = [
    form.status ? `status ${form.status}` : null,
    form.decision ? `decision ${form.decision.toUpperCase()}` : null,
    form.spec ? `spec section ${form.spec}` : null,
    form.bic ? `ball in court contains "${form.bic}"` : null,
    form.overdue ? 'overdue only' : null,
    form.q ? `number or title contains "${form.q}"` : null,
  ].filter((part): part is string => part !== null);
  return parts.length > 0 ? parts.join(', ') : null;
}

function parseId(value: string): number | null {
  if (!/^[1-9][0-9]{0,9}$/.test(value)) return null;
  const id = Number(value);
  return id <= 2_147_483_647 ? id : null;
}
