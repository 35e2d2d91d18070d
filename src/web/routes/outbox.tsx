import { Readable } from 'node:stream';
import { Hono } from 'hono';
import type { OutboxMessage } from '../../db/database.js';
import {
  countOutboxByStatus,
  findOutboxMessage,
  isOutboxStatus,
  listOutbox,
} from '../../outbox/outbox-log.js';
import { OutboxLogPage } from '../pages/outbox-log-page.js';
import { OutboxMessagePage } from '../pages/outbox-message-page.js';
import { projectPath } from '../pages/record-format.js';
import { loadProject, projectNotFound } from '../project-context.js';
import { requireUser } from '../session-middleware.js';
import type { WebDeps, WebEnv } from '../web-env.js';
import { contentDisposition, servedContentType } from './thread.js';

const PAGE_SIZE = 50;

/** The project's outbound mail: the list by status, one message as rendered, and its bytes. */
export function outboxRoutes(deps: Required<WebDeps>): Hono<WebEnv> {
  const { db, blobs } = deps;
  const app = new Hono<WebEnv>();
  // `/*` matches the list itself too, so every page here loads the project once.
  app.use('/p/:code/outbox/*', requireUser, loadProject(db));

  app.get('/p/:code/outbox', async (c) => {
    const project = c.var.project;
    const status = (c.req.query('status') ?? '').trim().toLowerCase();
    const beforeText = (c.req.query('before') ?? '').trim();
    const before = beforeText ? parseId(beforeText) : null;
    const props = {
      user: c.var.user!,
      csrfToken: c.var.csrfToken,
      project,
      status,
      counts: await countOutboxByStatus(db, project.id),
      paged: before !== null,
    };
    const problem =
      status && !isOutboxStatus(status)
        ? `"${status}" is not a status; choose captured, queued, sent or failed`
        : beforeText && before === null
          ? 'the page link is damaged; start again from the newest mail'
          : null;
    if (problem) return c.html(<OutboxLogPage {...props} page={null} error={problem} />, 400);
    const page = await listOutbox(db, project.id, {
      status: isOutboxStatus(status) ? status : null,
      before,
      limit: PAGE_SIZE,
    });
    return c.html(<OutboxLogPage {...props} page={page} />);
  });

  app.get('/p/:code/outbox/:id', async (c) => {
    const message = await messageOf(c.var.project.id, c.req.param('id'));
    if (!message) return projectNotFound(c);
    return c.html(
      <OutboxMessagePage
        user={c.var.user!}
        csrfToken={c.var.csrfToken}
        project={c.var.project}
        message={message}
        record={recordLink(c.var.project.code, message)}
      />,
    );
  });

  app.get('/p/:code/outbox/:id/raw', async (c) => {
    const message = await messageOf(c.var.project.id, c.req.param('id'));
    if (!message) return projectNotFound(c);
    const bytes = await blobs.read(message.raw_sha256);
    return c.body(new Uint8Array(bytes), 200, {
      'Content-Type': 'message/rfc822',
      'Content-Length': String(bytes.length),
      'Content-Disposition': contentDisposition('attachment', `outbox-${message.id}.eml`),
      'X-Content-Type-Options': 'nosniff',
    });
  });

  // Numbered from 1 as listed; only a file this message carried can be fetched through it.
  app.get('/p/:code/outbox/:id/attachments/:n', async (c) => {
    const message = await messageOf(c.var.project.id, c.req.param('id'));
    const n = parseId(c.req.param('n'));
    const attachment = message && n ? message.attachments[n - 1] : undefined;
    if (!attachment) return projectNotFound(c);
    return c.body(streamOf(await blobs.open(attachment.sha256)), 200, {
      'Content-Type': servedContentType(attachment.contentType),
      'Content-Disposition': contentDisposition('attachment', attachment.filename),
      'X-Content-Type-Options': 'nosniff',
    });
  });

  function messageOf(projectId: number, idText: string): Promise<OutboxMessage | undefined> {
    const id = parseId(idText);
    return id ? findOutboxMessage(db, projectId, id) : Promise.resolve(undefined);
  }

  return app;
}

function parseId(value: string): number | null {
  if (!/^[1-9][0-9]{0,9}$/.test(value)) return null;
  const id = Number(value);
  return id <= 2_147_483_647 ? id : null;
}

/**
 * The record a notification is about, from the `X-Docket-Record` header it was sent with
 * (`transmittal TR-0001`, `item RFI-007`, `submittal 03 30 00-007.1`), linked to its page.
 */
function recordLink(
  code: string,
  message: OutboxMessage,
): { label: string; href: string | null } | null {
  const header = message.headers['X-Docket-Record'];
  if (!header || !message.record_type) return null;
  const label = header.slice(header.indexOf(' ') + 1);
  switch (message.record_type) {
    case 'transmittal':
      return { label, href: projectPath(code, `/transmittals/${encodeURIComponent(label)}`) };
    case 'item':
      return { label, href: projectPath(code, `/items/${encodeURIComponent(label)}`) };
    case 'submittal': {
      // The submittal's address: its number with hyphens for spaces, without the revision.
      const slug = label.replace(/(-\d+)\.\d+$/, '$1').replace(/\s/g, '-');
      return { label, href: projectPath(code, `/submittals/${encodeURIComponent(slug)}`) };
    }
    default:
      return { label: header, href: null };
  }
}

function streamOf(readable: Readable): ReadableStream<Uint8Array> {
  return Readable.toWeb(readable) as ReadableStream<Uint8Array>;
}
