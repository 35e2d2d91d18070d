import { Readable } from 'node:stream';
import { Hono, type Context } from 'hono';
import {
  findAttachmentMatches,
  type AttachmentMatch,
} from '../../attachment-text/attachment-matches.js';
import type { BlobStore } from '../../blobs/blob-store.js';
import type { Db } from '../../db/database.js';
import { loadThreadMessages } from '../../correspondence/thread-messages.js';
import { findVisibleProject } from '../../users/project-access.js';
import { ErrorPage } from '../pages/error-page.js';
import { ThreadPage } from '../pages/thread-page.js';
import { requireUser } from '../session-middleware.js';
import type { WebEnv } from '../web-env.js';

export interface ThreadRouteDeps {
  db: Db;
  blobs: BlobStore;
}

/** Types a browser would run or render as a page: always served as opaque bytes. */
const DANGEROUS_TYPES = new Set([
  'text/html',
  'image/svg+xml',
  'application/xhtml+xml',
  'application/javascript',
  'application/ecmascript',
  'text/javascript',
  'text/ecmascript',
  'application/xml',
  'text/xml',
  'text/xsl',
  'multipart/x-mixed-replace',
  'application/x-shockwave-flash',
]);
const INLINE_IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

/** The type an attachment is served with: its own, unless a browser could run it or it is malformed. */
export function servedContentType(stored: string): string {
  const base = (stored.split(';')[0] ?? '').trim().toLowerCase();
  if (!/^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(base)) return 'application/octet-stream';
  return DANGEROUS_TYPES.has(base) ? 'application/octet-stream' : base;
}

/**
 * A Content-Disposition header that a hostile file name cannot break out of: an ASCII fallback
 * without quotes, backslashes or control characters, and the real name RFC 5987-encoded.
 */
export function contentDisposition(kind: 'attachment' | 'inline', name: string): string {
  const fallback =
    name
      .replace(/[\r\n"\\]/g, '')
      .replace(/[^\x20-\x7e]/g, '_')
      .trim() || 'attachment';
  let encoded: string;
  try {
    encoded = encodeURIComponent(name).replace(
      /['()*]/g,
      (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
    );
  } catch {
    // A lone surrogate cannot be encoded; the fallback still names the file.
    encoded = encodeURIComponent(fallback);
  }
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

function parseId(value: string): number | null {
  if (!/^[1-9][0-9]{0,9}$/.test(value)) return null;
  const id = Number(value);
  return id <= 2_147_483_647 ? id : null;
}

function notFound(c: Context<WebEnv>) {
  // Whatever is missing — project, membership, thread, message or attachment — answers alike.
  return c.html(
    <ErrorPage
      title="Page not found"
      message="There is nothing at this address, or you may not see it."
      user={c.var.user}
      csrfToken={c.var.csrfToken}
    />,
    404,
  );
}

function streamOf(readable: Readable): ReadableStream<Uint8Array> {
  return Readable.toWeb(readable) as ReadableStream<Uint8Array>;
}

/** A thread's messages, and the attachment and raw-message downloads, for a project's members. */
export function threadRoutes(deps: ThreadRouteDeps): Hono<WebEnv> {
  const { db, blobs } = deps;
  const app = new Hono<WebEnv>();
  app.use('/p/*', requireUser);

  app.get('/p/:code/threads/:id', async (c) => {
    const user = c.var.user!;
    const threadId = parseId(c.req.param('id'));
    const project = threadId
      ? ((await findVisibleProject(db, user, c.req.param('code'))) ?? null)
      : null;
    if (!project || !threadId) return notFound(c);
    const loaded = await loadThreadMessages(db, project.id, threadId);
    if (!loaded) return notFound(c);
    const { thread, messages, attachments } = loaded;
    // Arriving from a search of the log: say which attachments it found, and where.
    const q = (c.req.query('q') ?? '').replaceAll('\u0000', '').trim().slice(0, 500);
    const matches = q
      ? await findAttachmentMatches(
          db,
          project.id,
          messages.map((m) => m.id),
          q,
        )
      : new Map<number, AttachmentMatch[]>();
    return c.html(
      <ThreadPage
        search={q}
        matches={new Map([...matches.values()].flat().map((m) => [m.attachmentId, m]))}
        user={user}
        csrfToken={c.var.csrfToken}
        project={project}
        thread={thread}
        timezone={project.timezone}
        messages={messages}
        attachments={attachments}
        view={c.req.query('view') === 'text' ? 'text' : 'formatted'}
        allowRemoteImages={c.req.query('images') === '1'}
      />,
    );
  });

  app.get('/p/:code/attachments/:id', async (c) => {
    const user = c.var.user!;
    const id = parseId(c.req.param('id'));
    const project = id ? ((await findVisibleProject(db, user, c.req.param('code'))) ?? null) : null;
    if (!project || !id) return notFound(c);
    const attachment = await db
      .selectFrom('attachments')
      .select(['blob_sha256', 'filename', 'content_type', 'content_id', 'size'])
      .where('id', '=', id)
      .where('project_id', '=', project.id)
      .executeTakeFirst();
    if (!attachment) return notFound(c);
    const type = servedContentType(attachment.content_type);
    const inline =
      c.req.query('inline') === '1' &&
      attachment.content_id !== null &&
      INLINE_IMAGE_TYPES.has(type);
    const name = attachment.filename ?? `attachment-${id}`;
    return c.body(streamOf(await blobs.open(attachment.blob_sha256)), 200, {
      'Content-Type': type,
      'Content-Length': String(attachment.size),
      'Content-Disposition': contentDisposition(inline ? 'inline' : 'attachment', name),
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'private, no-store',
    });
  });

  app.get('/p/:code/messages/:id/raw', async (c) => {
    const user = c.var.user!;
    const id = parseId(c.req.param('id'));
    const project = id ? ((await findVisibleProject(db, user, c.req.param('code'))) ?? null) : null;
    if (!project || !id) return notFound(c);
    const message = await db
      .selectFrom('messages')
      .innerJoin('inbound_messages', (join) =>
        join
          .onRef('inbound_messages.id', '=', 'messages.inbound_id')
          .onRef('inbound_messages.project_id', '=', 'messages.project_id'),
      )
      .select(['inbound_messages.raw_sha256', 'inbound_messages.raw_size'])
      .where('messages.id', '=', id)
      .where('messages.project_id', '=', project.id)
      .executeTakeFirst();
    if (!message) return notFound(c);
    return c.body(streamOf(await blobs.open(message.raw_sha256)), 200, {
      'Content-Type': 'message/rfc822',
      'Content-Length': String(message.raw_size),
      'Content-Disposition': contentDisposition(
        'attachment',
        `${message.raw_sha256.slice(0, 16)}.eml`,
      ),
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'private, no-store',
    });
  });

  return app;
}
