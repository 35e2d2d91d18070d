import { sql } from 'kysely';
import type { Db } from '../src/db/database.js';
import { seedAttachmentTexts } from './web-texts.js';
import { RARE_WORD, TOPICS, WORDS } from './web-words.js';

export interface SeedShape {
  messages: number;
  threads: number;
  projects: number;
}

const BLOB = 'bench-web-shared-blob';
const BATCH = 50_000;
const KINDS = ['architect', 'contractor', 'engineer', 'owner', 'supplier', 'inspect'];

// A deterministic "random" non-negative integer below `n` from any bigint expression.
const pick = (expr: string, n: number) => `(abs(hashint8(${expr})::bigint) % ${n})`;
// Address number `r` (0..499) → one of 60 domains; the same expression for senders and recipients.
const addr = (r: string) =>
  `('person' || ${r} || '@' || (array['${KINDS.join("','")}'])[1 + ${r} % 6] || (${r} % 60) || '.example')`;
const words = (seed: string, count: number) =>
  `(select string_agg((${'$words'})[1 + ${pick(`${seed} * 128 + i`, WORDS.length)}], ' ') ` +
  `from generate_series(1, ${count}) i)`;
const people = (seed: string, count: string) =>
  `(select coalesce(jsonb_agg(jsonb_build_object('address', ${addr('r')}, 'name', 'Person ' || r)), '[]') ` +
  `from (select ${pick(`${seed} * 8 + j`, 500)} r from generate_series(1, ${count}) j) x)`;

/** Subject of thread `t`: a topic, a number, two words. */
const subject = (t: string) =>
  `((array['${TOPICS.join("','")}'])[1 + ${t} % ${TOPICS.length}] || ' ' || lpad((${t} / ${TOPICS.length})::text, 3, '0') ` +
  `|| ' ' || ($words)[1 + ${pick(t, WORDS.length)}] || ' ' || ($words)[1 + ${pick(`${t} + 7`, WORDS.length)}])`;

function messagesInsert(shape: SeedShape, from: number, to: number): string {
  const T = shape.threads;
  // Thread t = 1 + (g-1) % T holds messages k = 0, 1, …; it starts somewhere in two years and
  // gets a message every ~4 hours, so the log interleaves threads as real mail does.
  return `
    with s as (
      select g, 1 + (g - 1) % ${T} as t, (g - 1) / ${T} as k from generate_series(${from}, ${to}) g
    ), m as (
      select g, t, k, 1 + (t - 1) % ${shape.projects} as p,
        timestamptz '2024-12-01 00:00:00+00'
          + ((t * 7919) % ${T}) * (interval '700 days' / ${T})
          + k * interval '4 hours' + ${pick('g * 11', 10_800_000_000)} * interval '1 microsecond' as at,
        ${pick('g * 3 + 1', 500)} as sender,
        ${words('g', 30)} || case when g % 20011 = 7 then ' ${RARE_WORD}' else '' end as reply,
        case when ${pick('g * 7', 100)} < 15 then 1 + g % 3 else 0 end as attachments
      from s
    ), i as (
      insert into inbound_messages (project_id, id, raw_sha256, raw_size, dedupe_key, transport,
        mail_from, rcpt_to, received_at, state, filed_at)
      overriding system value
      select p, g, '${BLOB}', 4096, 'bench-web-' || g, 'import', ${addr('sender')},
        array['p' || p || '@docket.example'], at, 'filed', at from m
    )
    insert into messages (project_id, id, inbound_id, thread_id, message_id, subject,
      normalized_subject, from_address, from_name, to_addresses, cc_addresses, sent_at, received_at,
      text_body, reply_text, flags, attachment_count, filed_at)
    overriding system value
    select p, g, g, t, '<bench-' || g || '@docket.example>',
      case when k = 0 then '' else 'Re: ' end || ${subject('t')}, lower(${subject('t')}),
      ${addr('sender')}, 'Person ' || sender, ${people('g', '1 + g % 3')}, ${people('g + 7000000', '(g / 3) % 3')},
      at - interval '20 seconds', at,
      reply || E'\\n\\nOn an earlier day someone wrote:\\n> ' || ${words('g + 999', 25)}, reply,
      case when g % 20 = 3 then array[(array['auto-reply', 'list', 'bulk', 'bounce'])[1 + (g / 20) % 4]]
        else '{}'::text[] end,
      attachments, at
    from m`;
}

const run = (db: Db, text: string) =>
  sql.raw(text.replaceAll('$words', `'{${WORDS.join(',')}}'::text[]`)).execute(db);

/**
 * Fills an empty, migrated database. Messages go in through the real triggers (search, recipients,
 * from_domain); attachments after them, so the attachment trigger recomputes `search` as filing
 * does. The secondary indexes of `messages` are dropped for the load and rebuilt from their own
 * definitions (pg_indexes), as the search migration itself backfills before creating them.
 */
export async function seed(db: Db, shape: SeedShape, say: (text: string) => void): Promise<void> {
  await run(db, `insert into blobs (sha256, size, storage) values ('${BLOB}', 4096, 'files')`);
  await run(
    db,
    `insert into projects (id, code, name) overriding system value
     select p, 'WEB' || p, 'Bench project ' || p from generate_series(1, ${shape.projects}) p`,
  );
  await run(
    db,
    `insert into threads (project_id, id, subject, normalized_subject, first_message_at, last_message_at)
     overriding system value
     select 1 + (t - 1) % ${shape.projects}, t, ${subject('t')}, lower(${subject('t')}), now(), now()
     from generate_series(1, ${shape.threads}) t`,
  );
  const indexes = await sql<{ indexname: string; indexdef: string }>`
    select indexname, indexdef from pg_indexes
    where tablename = 'messages' and indexname not in ('messages_pkey', 'messages_inbound')`.execute(
    db,
  );
  for (const index of indexes.rows) await run(db, `drop index ${index.indexname}`);

  const batches: [number, number][] = [];
  for (let from = 1; from <= shape.messages; from += BATCH) {
    batches.push([from, Math.min(from + BATCH - 1, shape.messages)]);
  }
  let done = 0;
  const worker = async () => {
    for (let batch = batches.shift(); batch; batch = batches.shift()) {
      await run(db, messagesInsert(shape, batch[0], batch[1]));
      done += batch[1] - batch[0] + 1;
      say(`seeded ${done.toLocaleString('en-US')} messages`);
    }
  };
  await Promise.all([worker(), worker()]);

  await run(
    db,
    `insert into attachments (project_id, message_id, position, blob_sha256, filename, content_type, size, inline)
     select m.project_id, m.id, n, '${BLOB}',
       (array['drawing', 'spec', 'photo', 'report', 'schedule'])[1 + (m.id + n) % 5] || '_' || m.thread_id
         || '_rev' || n || (array['.pdf', '.dwg', '.jpg', '.xlsx'])[1 + m.id % 4],
       'application/octet-stream', 1000 + m.id % 100000, false
     from messages m cross join generate_series(1, m.attachment_count) n
     where m.attachment_count > 0`,
  );
  say('attachments inserted (search recomputed by their trigger)');
  const attachments = await sql<{ n: number }>`select count(*)::int n from attachments`.execute(db);
  const texts = Math.min(attachments.rows[0]?.n ?? 0, Math.round(shape.messages / 5));
  await seedAttachmentTexts(db, texts, say);
  say(
    `${texts.toLocaleString('en-US')} attachment texts recorded (message search refreshed by their trigger)`,
  );
  await db.connection().execute(async (connection) => {
    await run(connection, `set maintenance_work_mem = '1GB'`);
    for (const index of indexes.rows) await run(connection, index.indexdef);
  });
  say(`rebuilt ${indexes.rows.length} indexes`);
  await run(
    db,
    `update threads t set message_count = s.n, first_message_at = s.first, last_message_at = s.last
     from (select project_id, thread_id, count(*) n, min(received_at) first, max(received_at) last
           from messages group by 1, 2) s
     where t.project_id = s.project_id and t.id = s.thread_id`,
  );
  for (const table of ['projects', 'threads', 'inbound_messages', 'messages', 'attachments']) {
    await run(db, `select setval(pg_get_serial_sequence('${table}', 'id'), max(id)) from ${table}`);
  }
  await run(db, 'vacuum analyze');
}
