import { Readable } from 'node:stream';
import { Hono } from 'hono';
import type { BlobStore } from '../blobs/blob-store.js';
import type { Db } from '../db/database.js';
import { DocketError } from '../errors.js';
import { findItemDetail } from '../items/item-detail.js';
import { listItems } from '../items/item-log.js';
import { itemNumber, itemTypeByName, ITEM_TYPES, parseItemNumber } from '../items/item-types.js';
import { readRegisterForm, registerFilters } from '../submittals/register-filters.js';
import { loadSubmittalDetail } from '../submittals/submittal-detail.js';
import { listSubmittalRegister } from '../submittals/submittal-register.js';
import { submittalNumber } from '../submittals/submittal-request.js';
import { parseSubmittalSlug, submittalSlug } from '../submittals/submittal-slug.js';
import {
  findTransmittalDetail,
  findTransmittalItemFile,
  parseTransmittalNumber,
} from '../transmittals/transmittal-detail.js';
import { listTransmittals } from '../transmittals/transmittal-log.js';
import { contentDisposition, servedContentType } from '../web/routes/thread.js';
import { apiNotFound, type ApiEnv } from './api-env.js';
import { snakeCase } from './snake-case.js';

/** Submittals, transmittals and correspondence items (RFIs, notices…): logs and one of each. */
export function recordApiRoutes(db: Db, blobs: BlobStore, now: () => Date): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  const base = (code: string) => `/api/projects/${encodeURIComponent(code)}`;

  // Filters as the web register's: status, decision, spec, bic, overdue, q.
  app.get('/projects/:code/submittals', async (c) => {
    const filters = registerFilters(readRegisterForm(c.req.query()));
    const rows = await listSubmittalRegister(db, c.var.project.id, filters, now());
    return c.json({ items: rows.map((row) => snakeCase(row)) });
  });

  app.get('/projects/:code/submittals/:number', async (c) => {
    const { project } = c.var;
    const key = parseSubmittalSlug(c.req.param('number'));
    const detail = key ? await loadSubmittalDetail(db, project.id, key) : null;
    if (!detail) return apiNotFound(c);
    const { project_id: _project, ...s } = detail.submittal;
    return c.json({
      number: submittalNumber(s.spec_section, s.seq, s.revision),
      slug: submittalSlug(s.spec_section, s.seq),
      ...s,
      overdue: s.status !== 'closed' && s.due_at !== null && s.due_at < now(),
      revisions: detail.revisions.map((revision) => ({
        ...snakeCase(revision),
        documents: revision.documents.map((document) => ({
          ...snakeCase(document),
          url: `${base(project.code)}/attachments/${document.attachmentId}`,
        })),
      })),
      // Audit details are evidence: passed on exactly as recorded.
      audit: detail.audit,
    });
  });

  app.get('/projects/:code/transmittals', async (c) => {
    const rows = await listTransmittals(db, c.var.project.id, now());
    return c.json({ items: rows.map((row) => snakeCase(row)) });
  });

  app.get('/projects/:code/transmittals/:number', async (c) => {
    const { project } = c.var;
    const number = parseTransmittalNumber(c.req.param('number'));
    const detail = number ? await findTransmittalDetail(db, project.id, number) : undefined;
    if (!detail) return apiNotFound(c);
    const json = snakeCase(detail);
    const at = `${base(project.code)}/transmittals/${detail.number}`;
    return c.json({
      ...json,
      overdue: detail.status === 'open' && detail.dueAt !== null && detail.dueAt < now(),
      items: json.items.map((item) => ({
        ...item,
        url: item.downloadable ? `${at}/items/${item.position}` : null,
      })),
    });
  });

  app.get('/projects/:code/transmittals/:number/items/:position', async (c) => {
    const number = parseTransmittalNumber(c.req.param('number'));
    // Positions count from 0, as the items were listed in the mail.
    const text = c.req.param('position');
    const position = /^(0|[1-9][0-9]{0,5})$/.test(text) ? Number(text) : null;
    const file =
      number && position !== null
        ? await findTransmittalItemFile(db, c.var.project.id, number, position)
        : undefined;
    if (!file) return apiNotFound(c);
    const bytes = Readable.toWeb(await blobs.open(file.blobSha256));
    return c.body(bytes as ReadableStream<Uint8Array>, 200, {
      'Content-Type': servedContentType(file.contentType),
      'Content-Length': String(file.size),
      'Content-Disposition': contentDisposition('attachment', file.fileName),
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'private, no-store',
    });
  });

  app.get('/projects/:code/items', async (c) => {
    const typeName = c.req.query('type')?.trim() ?? '';
    const type = typeName ? itemTypeByName(typeName) : null;
    if (typeName && !type) {
      const known = ITEM_TYPES.map((t) => t.prefix).join(', ');
      throw new DocketError('invalid_input', `unknown item type "${typeName}" (known: ${known})`);
    }
    const project = await db
      .selectFrom('projects')
      .selectAll()
      .where('id', '=', c.var.project.id)
      .executeTakeFirstOrThrow();
    const rows = await listItems(db, project, now(), type);
    return c.json({ items: rows.map((row) => snakeCase(row)) });
  });

  app.get('/projects/:code/items/:number', async (c) => {
    const parsed = parseItemNumber(c.req.param('number'));
    const detail = parsed
      ? await findItemDetail(db, c.var.project.id, parsed.type.prefix, parsed.number)
      : undefined;
    if (!detail) return apiNotFound(c);
    const { project_id: _project, number: seq, ...item } = detail.item;
    return c.json({
      number: itemNumber(item.prefix, seq),
      seq,
      ...item,
      overdue: item.status === 'open' && item.due_at !== null && item.due_at < now(),
      audit: detail.trail,
    });
  });

  return app;
}
