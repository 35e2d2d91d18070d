import { Hono, type Context } from 'hono';
import { isDocketError } from '../../errors.js';
import { closeItemInTransaction } from '../../items/close-item.js';
import { findItemDetail } from '../../items/item-detail.js';
import { listItems, type ItemLogEntry } from '../../items/item-log.js';
import { itemNumber, itemTypeByName, parseItemNumber } from '../../items/item-types.js';
import { getProjectByCode } from '../../projects/project.repository.js';
import { canManage } from '../../users/project-role.js';
import { ErrorPage } from '../pages/error-page.js';
import { ItemDetailPage, type ItemDetailPageProps } from '../pages/item-detail-page.js';
import { ITEM_STATUS_FILTERS, ItemLogPage, type ItemFilters } from '../pages/item-log-page.js';
import { loadProject, projectNotFound } from '../project-context.js';
import { requireUser } from '../session-middleware.js';
import type { WebDeps, WebEnv } from '../web-env.js';

/** RFIs and the other correspondence items: the list, one item's page, and closing it. */
export function itemsRoutes(deps: Required<WebDeps>): Hono<WebEnv> {
  const { db } = deps;
  const app = new Hono<WebEnv>();
  // `/*` matches the list itself too, so every page here loads the project once.
  app.use('/p/:code/items/*', requireUser, loadProject(db));

  app.get('/p/:code/items', async (c) => {
    const filters: ItemFilters = {
      type: (c.req.query('type') ?? '').trim().toUpperCase(),
      status: (c.req.query('status') ?? '').trim().toLowerCase(),
    };
    const props = {
      user: c.var.user!,
      csrfToken: c.var.csrfToken,
      project: c.var.project,
      rfiAddress: `${c.var.project.code}+rfi@${deps.mail.outbox.mailDomain}`,
      filters,
    };
    const type = filters.type ? itemTypeByName(filters.type) : null;
    const problem =
      filters.type && !type
        ? `"${filters.type}" is not an item type; choose one of the list`
        : !ITEM_STATUS_FILTERS.some(([value]) => value === filters.status)
          ? `"${filters.status}" is not a status; choose open, overdue, answered or closed`
          : null;
    if (problem) return c.html(<ItemLogPage {...props} items={null} error={problem} />, 400);
    const project = await getProjectByCode(db, c.var.project.code);
    const items = await listItems(db, project, deps.now(), type);
    return c.html(<ItemLogPage {...props} items={items.filter(matches(filters.status))} />);
  });

  app.get('/p/:code/items/:number', async (c) => {
    const closed = c.req.query('closed') === '1';
    return showItem(c, closed ? { kind: 'done', text: 'The item was closed.' } : undefined);
  });

  app.post('/p/:code/items/:number/close', async (c) => {
    if (!canManage(c.var.role)) {
      return c.html(
        <ErrorPage
          title="Only managers can close items"
          message="Items are closed by the project's managers. Ask one of them, or an administrator."
          user={c.var.user}
          csrfToken={c.var.csrfToken}
        />,
        403,
      );
    }
    const parsed = parseItemNumber(c.req.param('number'));
    if (!parsed) return projectNotFound(c);
    const number = itemNumber(parsed.type.prefix, parsed.number);
    try {
      await db
        .transaction()
        .execute((trx) =>
          closeItemInTransaction(trx, c.var.project, number, c.var.user!.email, deps.now()),
        );
    } catch (error) {
      if (isDocketError(error, 'not_found')) return projectNotFound(c);
      if (!isDocketError(error, 'conflict')) throw error;
      return showItem(c, { kind: 'error', text: `Not closed: ${error.message}.` }, 409);
    }
    const href = `/p/${encodeURIComponent(c.var.project.code)}/items/${number}?closed=1`;
    return c.redirect(href, 303);
  });

  /** The item's page for the number in the path, or the project's 404. */
  async function showItem(
    c: Context<WebEnv, string>,
    notice: ItemDetailPageProps['notice'],
    status: 200 | 409 = 200,
  ) {
    const parsed = parseItemNumber(c.req.param('number') ?? '');
    const detail = parsed
      ? await findItemDetail(db, c.var.project.id, parsed.type.prefix, parsed.number)
      : undefined;
    if (!detail) return projectNotFound(c);
    return c.html(
      <ItemDetailPage
        user={c.var.user!}
        csrfToken={c.var.csrfToken}
        project={c.var.project}
        detail={detail}
        canClose={canManage(c.var.role)}
        now={deps.now()}
        {...(notice ? { notice } : {})}
      />,
      status,
    );
  }

  return app;
}

/** The status filter: `overdue` is open and past due; the rest are the stored status. */
function matches(status: string): (item: ItemLogEntry) => boolean {
  if (status === '') return () => true;
  if (status === 'overdue') return (item) => item.overdue;
  return (item) => item.status === status;
}
