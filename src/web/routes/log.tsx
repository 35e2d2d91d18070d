import { Hono } from 'hono';
import { DateTime } from 'luxon';
import {
  listCorrespondence,
  type CorrespondenceQuery,
  type LogFlag,
  type LogRecordType,
  type LogSort,
} from '../../correspondence/correspondence-log.js';
import { nameOwnAddresses } from '../../correspondence/own-addresses.js';
import { DocketError, isDocketError } from '../../errors.js';
import { findVisibleProject } from '../../users/project-access.js';
import { ErrorPage } from '../pages/error-page.js';
import { LogPage, type LogForm } from '../pages/log-page.js';
import { requireUser } from '../session-middleware.js';
import type { WebDeps, WebEnv } from '../web-env.js';

const PAGE_SIZE = 50;

/** `GET /p/:code/log`: the project's correspondence log, filtered by a plain GET form. */
export function logRoutes(deps: Required<WebDeps>): Hono<WebEnv> {
  const { db } = deps;
  const { mailDomain } = deps.mail.outbox;
  const app = new Hono<WebEnv>();
  app.use('/p/*', requireUser);

  app.get('/p/:code/log', async (c) => {
    const user = c.var.user!;
    const project = await findVisibleProject(db, user, c.req.param('code'));
    if (!project) {
      return c.html(
        <ErrorPage
          title="Project not found"
          message="There is no such project, or you are not a member of it."
          user={user}
          csrfToken={c.var.csrfToken}
        />,
        404,
      );
    }
    const { timezone } = project;
    const form = readForm(c.req.query(), c.req.queries('flag') ?? []);
    const cursor = c.req.query('cursor') ?? null;
    const props = { user, csrfToken: c.var.csrfToken, project, timezone, form };
    try {
      const page = await listCorrespondence(db, project.id, toQuery(form, timezone), {
        sort: (form.sort || 'newest') as LogSort,
        limit: PAGE_SIZE,
        cursor: cursor || null,
      });
      const names = await nameOwnAddresses(
        db,
        { projectId: project.id, code: project.code, mailDomain, secret: deps.secret },
        page.rows.flatMap((row) => row.to.map((a) => a.address)),
      );
      return c.html(<LogPage {...props} page={page} ownAddresses={names} />);
    } catch (error) {
      if (!isDocketError(error, 'invalid_input')) throw error;
      return c.html(<LogPage {...props} page={null} error={error.message} />, 400);
    }
  });

  return app;
}

/** The form's fields as typed, so the page can show them back and carry them in links. */
function readForm(query: Record<string, string>, flags: string[]): LogForm {
  const field = (name: string) => (query[name] ?? '').trim();
  return {
    from: field('from'),
    to: field('to'),
    sender: field('sender'),
    recipient: field('recipient'),
    type: field('type'),
    attachments: field('attachments'),
    flags: flags.filter((flag) => flag !== ''),
    q: field('q'),
    sort: field('sort'),
  };
}

function toQuery(form: LogForm, zone: string): CorrespondenceQuery {
  const query: CorrespondenceQuery = {};
  // Whole days in the project's zone: from the start of `from` to the end of `to`.
  if (form.from) query.receivedSince = dayStart(form.from, zone, 'from').toJSDate();
  if (form.to) query.receivedBefore = dayStart(form.to, zone, 'to').plus({ days: 1 }).toJSDate();
  if (form.sender) query.sender = form.sender;
  if (form.recipient) query.recipient = form.recipient;
  if (form.type) query.recordType = form.type as LogRecordType;
  if (form.attachments === 'yes') query.hasAttachments = true;
  else if (form.attachments === 'no') query.hasAttachments = false;
  else if (form.attachments) {
    throw new DocketError('invalid_input', 'attachments must be "yes", "no" or empty');
  }
  if (form.flags.length > 0) query.flags = form.flags as LogFlag[];
  if (form.q) query.q = form.q;
  return query;
}

function dayStart(text: string, zone: string, field: string): DateTime {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(text) ? DateTime.fromISO(text, { zone }) : null;
  if (!day?.isValid) {
    throw new DocketError('invalid_input', `the ${field} date must be a day such as 2026-11-02`);
  }
  return day.startOf('day');
}
