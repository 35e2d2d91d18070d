import { Readable } from 'node:stream';
import { Hono } from 'hono';
import type { BlobStore } from '../blobs/blob-store.js';
import { listCorrespondence } from '../correspondence/correspondence-log.js';
import type { Db } from '../db/database.js';
import { contentDisposition, servedContentType } from '../web/routes/thread.js';
import { apiNotFound, parseId, type ApiEnv } from './api-env.js';
import { readMessageQuery } from './message-filters.js';
import { snakeCase } from './snake-case.js';
import { findThreadDetail } from './thread-detail.js';

/** The correspondence log, one thread, and an attachment's bytes. */
export function correspondenceApiRoutes(db: Db, blobs: BlobStore): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  const base = (code: string) => `/api/projects/${encodeURIComponent(code)}`;

  app.get('/projects/:code/messages', async (c) => {
    const { project } = c.var;
    const { query, options } = readMessageQuery(
      c.req.query(),
      c.req.queries('flag') ?? [],
      project.timezone,
    );
    const page = await listCorrespondence(db, project.id, query, options);
    return c.json({
      items: page.rows.map((row) => ({
        ...snakeCase(row),
        thread_url: `${base(project.code)}/threads/${row.threadId}`,
      })),
      next_cursor: page.nextCursor,
      prev_cursor: page.prevCursor,
    });
  });

  app.get('/projects/:code/threads/:id', async (c) => {
    const { project } = c.var;
    const id = parseId(c.req.param('id'));
    const thread = id ? await findThreadDetail(db, project.id, id) : undefined;
    if (!thread) return apiNotFound(c);
    const json = snakeCase(thread);
    return c.json({
      ...json,
      messages: json.messages.map((message) => ({
        ...message,
        attachments: message.attachments.map((attachment) => ({
          ...attachment,
          url: `${base(project.code)}/attachments/${attachment.id}`,
        })),
      })),
    });
  });

  app.get('/projects/:code/attachments/:id', async (c) => {
    const { project } = c.var;
    const id = parseId(c.req.param('id'));
    const attachment = id
      ? await db
          .selectFrom('attachments')
          .select(['blob_sha256', 'filename', 'content_type', 'size'])
          .where('project_id', '=', project.id)
          .where('id', '=', id)
          .executeTakeFirst()
      : undefined;
    if (!attachment) return apiNotFound(c);
    // The same guarded headers as the web download: never a type a browser would run.
    const bytes = Readable.toWeb(await blobs.open(attachment.blob_sha256));
    return c.body(bytes as ReadableStream<Uint8Array>, 200, {
      'Content-Type': servedContentType(attachment.content_type),
      'Content-Length': String(attachment.size),
      'Content-Disposition': contentDisposition(
        'attachment',
        attachment.filename ?? `attachment-${id}`,
      ),
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'private, no-store',
    });
  });

  return app;
}
