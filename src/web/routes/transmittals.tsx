import { Readable } from 'node:stream';
import { Hono } from 'hono';
import {
  findTransmittalDetail,
  findTransmittalItemFile,
  parseTransmittalNumber,
} from '../../transmittals/transmittal-detail.js';
import { listTransmittals } from '../../transmittals/transmittal-log.js';
import { transmittalNumber } from '../../transmittals/transmittal-request.js';
import { TransmittalDetailPage } from '../pages/transmittal-detail-page.js';
import { TransmittalLogPage } from '../pages/transmittal-log-page.js';
import { loadProject, projectNotFound } from '../project-context.js';
import { requireUser } from '../session-middleware.js';
import type { WebDeps, WebEnv } from '../web-env.js';
import { contentDisposition, servedContentType } from './thread.js';

/** The transmittal log, one transmittal's page, its cover sheet and its documents. */
export function transmittalsRoutes(deps: Required<WebDeps>): Hono<WebEnv> {
  const { db, blobs } = deps;
  const app = new Hono<WebEnv>();
  // `/*` matches the list itself too, so every page here loads the project once.
  app.use('/p/:code/transmittals/*', requireUser, loadProject(db));

  app.get('/p/:code/transmittals', async (c) => {
    const project = c.var.project;
    const transmittals = await listTransmittals(db, project.id, deps.now());
    return c.html(
      <TransmittalLogPage
        user={c.var.user!}
        csrfToken={c.var.csrfToken}
        project={project}
        transmittalAddress={`${project.code}+transmittal@${deps.mail.outbox.mailDomain}`}
        transmittals={transmittals}
      />,
    );
  });

  app.get('/p/:code/transmittals/:number', async (c) => {
    const number = parseTransmittalNumber(c.req.param('number'));
    const transmittal = number
      ? await findTransmittalDetail(db, c.var.project.id, number)
      : undefined;
    if (!transmittal) return projectNotFound(c);
    return c.html(
      <TransmittalDetailPage
        user={c.var.user!}
        csrfToken={c.var.csrfToken}
        project={c.var.project}
        transmittal={transmittal}
        now={deps.now()}
      />,
    );
  });

  // The cover sheet is rendered once, when the transmittal is issued, and kept: the copy served
  // here is byte for byte the one the recipients were sent (its SHA-256 is in the audit trail).
  app.get('/p/:code/transmittals/:number/cover-sheet.pdf', async (c) => {
    const number = parseTransmittalNumber(c.req.param('number'));
    const row = number
      ? await db
          .selectFrom('transmittals')
          .innerJoin('blobs', 'blobs.sha256', 'transmittals.cover_sha256')
          .select(['transmittals.cover_sha256', 'blobs.size'])
          .where('transmittals.project_id', '=', c.var.project.id)
          .where('transmittals.number', '=', number)
          .executeTakeFirst()
      : undefined;
    if (!number || !row?.cover_sha256) return projectNotFound(c);
    return c.body(streamOf(await blobs.open(row.cover_sha256)), 200, {
      'Content-Type': 'application/pdf',
      'Content-Length': String(row.size),
      'Content-Disposition': contentDisposition(
        'attachment',
        `${transmittalNumber(number)} cover sheet.pdf`,
      ),
      'X-Content-Type-Options': 'nosniff',
    });
  });

  // Items are numbered from 1 on the page, as on the cover sheet.
  app.get('/p/:code/transmittals/:number/items/:item', async (c) => {
    const number = parseTransmittalNumber(c.req.param('number'));
    const item = /^[1-9][0-9]{0,5}$/.test(c.req.param('item')) ? Number(c.req.param('item')) : 0;
    const file =
      number && item
        ? await findTransmittalItemFile(db, c.var.project.id, number, item - 1)
        : undefined;
    if (!file) return projectNotFound(c);
    return c.body(streamOf(await blobs.open(file.blobSha256)), 200, {
      'Content-Type': servedContentType(file.contentType),
      'Content-Length': String(file.size),
      'Content-Disposition': contentDisposition('attachment', file.fileName),
      'X-Content-Type-Options': 'nosniff',
    });
  });

  return app;
}

function streamOf(readable: Readable): ReadableStream<Uint8Array> {
  return Readable.toWeb(readable) as ReadableStream<Uint8Array>;
}
