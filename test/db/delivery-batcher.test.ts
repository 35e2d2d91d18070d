import { createHash, randomBytes } from 'node:crypto';
import type { KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeliveryBatcher } from '../../src/inbound/delivery-batcher.js';
import type { Delivery } from '../../src/inbound/store-delivery.js';
import { createProject } from '../../src/projects/project.repository.js';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from '../support/test-db.js';

/** Counts the statements that insert inbound rows, to see deliveries share them. */
function countingInserts(): KyselyPlugin & { count: number } {
  const plugin = {
    count: 0,
    transformQuery: (args: Parameters<KyselyPlugin['transformQuery']>[0]) => {
      const node = args.node as {
        kind: string;
        into?: { table: { identifier: { name: string } } };
      };
      if (
        node.kind === 'InsertQueryNode' &&
        node.into?.table.identifier.name === 'inbound_messages'
      )
        plugin.count++;
      return args.node;
    },
    transformResult: (args: Parameters<KyselyPlugin['transformResult']>[0]) =>
      Promise.resolve(args.result),
  };
  return plugin;
}

describe(`group commit of accepted messages on ${testDatabaseKind}`, () => {
  let database: TestDatabase;
  let projectId: number;
  beforeAll(async () => {
    database = await createTestDatabase();
    projectId = (await createProject(database.db, { code: 'twr-a', name: 'Tower A' })).id;
  });
  afterAll(() => database.destroy());

  function delivery(overrides: Partial<Delivery> = {}, messageId = randomBytes(6).toString('hex')) {
    const data = Buffer.from(`Message-ID: <${messageId}@x>\r\n\r\nHello ${messageId}\r\n`);
    return {
      blob: { sha256: createHash('sha256').update(data).digest('hex'), size: data.length, data },
      messageId: `${messageId}@x`,
      transport: 'smtp' as const,
      mailFrom: 'dana@contractor.example',
      clientAddress: '127.0.0.1',
      clientHostname: null,
      helo: null,
      smtpSessionId: null,
      receivedAt: new Date(),
      projects: [{ projectId, recipients: ['twr-a@docket.localhost'] }],
      ...overrides,
    };
  }

  async function inboundCount(): Promise<number> {
    const row = await database.db
      .selectFrom('inbound_messages')
      .select(({ fn }) => fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  it('commits deliveries that arrive together in one statement, each answered for itself', async () => {
    const counter = countingInserts();
    const batcher = new DeliveryBatcher(database.db.withPlugin(counter));
    const before = await inboundCount();
    const results = await Promise.all(Array.from({ length: 20 }, () => batcher.store(delivery())));
    expect(results.every(([stored]) => stored?.isNew === true)).toBe(true);
    expect(new Set(results.map(([stored]) => stored?.inboundId)).size).toBe(20);
    expect(await inboundCount()).toBe(before + 20);
    expect(counter.count).toBe(1);

    // What arrives while a statement commits waits for the next one, together.
    const first = batcher.store(delivery());
    await new Promise((resolve) => setImmediate(resolve));
    const later = Array.from({ length: 5 }, () => batcher.store(delivery()));
    await Promise.all([first, ...later]);
    expect(counter.count).toBe(3);
  });

  it('stores a message twice in flight once: the repeat waits for the next statement', async () => {
    const batcher = new DeliveryBatcher(database.db);
    const id = randomBytes(6).toString('hex');
    const [first, second] = await Promise.all([
      batcher.store(delivery({}, id)),
      batcher.store(
        delivery({ projects: [{ projectId, recipients: ['twr-a+rfi@docket.localhost'] }] }, id),
      ),
    ]);
    expect(first?.[0]?.isNew).toBe(true);
    expect(second?.[0]).toEqual({ ...first?.[0], isNew: false });
    const row = await database.db
      .selectFrom('inbound_messages')
      .select(['rcpt_to', 'deliveries'])
      .where('id', '=', first?.[0]?.inboundId as number)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      rcpt_to: ['twr-a+rfi@docket.localhost', 'twr-a@docket.localhost'],
      deliveries: 2,
    });
  });

  it('refuses only the delivery that cannot be stored, not the others in its statement', async () => {
    const batcher = new DeliveryBatcher(database.db);
    const before = await inboundCount();
    const settled = await Promise.allSettled([
      batcher.store(delivery()),
      batcher.store(delivery()),
      // No such project: the foreign key refuses this one.
      batcher.store(
        delivery({ projects: [{ projectId: 999_999, recipients: ['x@docket.localhost'] }] }),
      ),
      batcher.store(delivery()),
    ]);
    expect(settled.map((result) => result.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
    ]);
    expect(await inboundCount()).toBe(before + 3);
    await batcher.drain();
  });

  it('lets background work wait while deliveries keep arriving, but never for longer than it allows', async () => {
    const batcher = new DeliveryBatcher(database.db);
    // Idle: at once.
    await batcher.quiet(60_000);

    // A steady stream of deliveries: the wait ends at its limit, with the stream still running.
    let streaming = true;
    let stored = 0;
    const stream = (async () => {
      while (streaming) {
        await batcher.store(delivery());
        stored++;
      }
    })();
    await new Promise((resolve) => setImmediate(resolve));
    const storedBefore = stored;
    await batcher.quiet(200);
    const storedMeanwhile = stored - storedBefore;
    streaming = false;
    await stream;
    // The stream went on during the wait (and the wait ended: the database's answers did not
    // starve the timer that ends it).
    expect(storedMeanwhile).toBeGreaterThan(3);

    // Once the stream stops, the wait ends soon after, long before its limit.
    let ended = false;
    const waiting = batcher.quiet(60_000).then(() => (ended = true));
    await batcher.store(delivery());
    await waiting;
    expect(ended).toBe(true);
  });
});
