import { sql, type Kysely } from 'kysely';

// Frozen in time: the text of attachments, so a search finds the drawing by what it says.
//
// attachment_texts holds one row per attachment: whether its text was read (pending, extracted,
// no_text: the file has none Docket can read, failed: reading did not finish), why not, the text
// itself (capped) and its full-text vector. Rows are made by the database: a statement trigger on
// `attachments` queues every new attachment as pending, however filing inserts them, and a job
// outside filing (attachment-text/text-indexer.ts) claims pending rows with SKIP LOCKED and a
// lease, as the filing queue does. Attachments filed before this migration have no row until
// `docket reindex` queues them.
//
// Search: each attachment's vector is folded into its message's `search` (weight C), so the one
// GIN index of the correspondence log answers words of bodies and of attachments alike; the
// per-attachment vector then says which attachment matched, for the rows shown only.
//
// Size: a tsvector holds less than 1 MB of lexemes and positions, and building a bigger one is
// an error. A message's vector must never fail, or filing would, so each attachment's vector is
// cut to ATTACHMENT_VECTOR_BYTES (built from less of the text until it fits), and a message folds
// in its attachments' vectors, smallest first, only while they add up to MESSAGE_FOLD_BYTES. With
// the message's own parts (capped by the search migration) that stays well under 1 MB.

const ATTACHMENT_VECTOR_BYTES = 384 * 1024;
const MESSAGE_FOLD_BYTES = 512 * 1024;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('attachment_texts')
    .addColumn('project_id', 'bigint', (col) => col.notNull())
    .addColumn('attachment_id', 'bigint', (col) => col.notNull())
    .addColumn('message_id', 'bigint', (col) => col.notNull())
    .addColumn('blob_sha256', 'text', (col) => col.notNull())
    .addColumn('state', 'text', (col) =>
      col
        .notNull()
        .defaultTo('pending')
        .check(sql`state in ('pending', 'extracted', 'no_text', 'failed')`),
    )
    .addColumn('kind', 'text')
    // no_text and failed: why. extracted: what was left out, if anything ("first 2,000 pages").
    .addColumn('detail', 'text')
    .addColumn('pages', 'integer')
    .addColumn('text', 'text')
    .addColumn('search', sql`tsvector`)
    .addColumn('search_bytes', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('claimed_until', 'timestamptz')
    .addColumn('queued_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('extracted_at', 'timestamptz')
    .addPrimaryKeyConstraint('attachment_texts_pkey', ['project_id', 'attachment_id'])
    .addForeignKeyConstraint(
      'attachment_texts_attachment_fk',
      ['project_id', 'attachment_id'],
      'attachments',
      ['project_id', 'id'],
      (fk) => fk.onDelete('cascade'),
    )
    .execute();
  await db.schema
    .createIndex('attachment_texts_by_message')
    .on('attachment_texts')
    .columns(['project_id', 'message_id'])
    .execute();
  // Work to claim, newest first: mail filed now is read before a long reindex's backlog.
  await db.schema
    .createIndex('attachment_texts_pending')
    .on('attachment_texts')
    .columns(['queued_at desc', 'attachment_id desc'])
    .where(sql.ref('state'), '=', 'pending')
    .execute();
  // The same bytes read once: a PDF mailed to three projects, or copied by a transmittal to each
  // recipient, takes the first reading's result.
  await db.schema
    .createIndex('attachment_texts_by_blob')
    .on('attachment_texts')
    .column('blob_sha256')
    .where(sql<boolean>`state in ('extracted', 'no_text')`)
    .execute();

  // Every new attachment waits to be read. One statement per filing statement, not per row.
  await sql`
    create function attachments_queue_text() returns trigger
    language plpgsql as $$
    begin
      insert into attachment_texts (project_id, attachment_id, message_id, blob_sha256)
      select project_id, id, message_id, blob_sha256 from new_attachments;
      return null;
    end
    $$
  `.execute(db);
  await sql`
    create trigger attachments_queue_text after insert on attachments
    referencing new table as new_attachments
    for each statement execute function attachments_queue_text()
  `.execute(db);

  // The vector of a text, built from as much of it as fits in max_bytes: the whole text when it
  // does, else half of it, a quarter… An exception block catches the "too long for tsvector"
  // error of a text with very many distinct words; it runs only when text is recorded.
  await sql`
    create function attachment_text_vector(body text, max_bytes integer) returns tsvector
    language plpgsql immutable parallel safe as $$
    declare
      n integer := length(body);
      v tsvector;
    begin
      if body is null then return null; end if;
      loop
        begin
          v := to_tsvector('simple', left(body, n));
          if pg_column_size(v) <= max_bytes then return v; end if;
        exception when program_limit_exceeded then
          null;
        end;
        n := n / 2;
        if n = 0 then return ''::tsvector; end if;
      end loop;
    end
    $$
  `.execute(db);
  await sql`
    create function attachment_texts_derive_search() returns trigger
    language plpgsql as $$
    begin
      new.search := attachment_text_vector(new.text, ${sql.lit(ATTACHMENT_VECTOR_BYTES)});
      new.search_bytes := coalesce(pg_column_size(new.search), 0);
      return new;
    end
    $$
  `.execute(db);
  await sql`
    create trigger attachment_texts_derive_search
    before insert or update of text on attachment_texts
    for each row execute function attachment_texts_derive_search()
  `.execute(db);

  await sql`
    create aggregate docket_tsvector_agg(tsvector) (
      sfunc = tsvector_concat, stype = tsvector, initcond = ''
    )
  `.execute(db);

  // The search migration's document, with the attachments' text added at weight C.
  await sql`
    create or replace function messages_search_document(m messages) returns tsvector
    language sql stable parallel safe
    return
      setweight(to_tsvector('simple', left(m.subject, 2000)), 'A') ||
      setweight(to_tsvector('simple', left(coalesce((
        select string_agg(docket_search_words(a.filename), ' ' order by a.position)
        from attachments a
        where a.project_id = m.project_id and a.message_id = m.id and a.filename is not null
      ), ''), 20000)), 'A') ||
      setweight(to_tsvector('simple', left(concat_ws(' ',
        m.from_name, docket_search_words(m.from_address),
        (select string_agg(docket_search_words(p #>> '{}'), ' ')
         from jsonb_path_query(m.to_addresses || m.cc_addresses, 'lax $[*].*') p)
      ), 20000)), 'B') ||
      setweight(coalesce((
        select docket_tsvector_agg(t.search)
        from (
          select search, sum(search_bytes) over (order by search_bytes, attachment_id) as running
          from attachment_texts
          where project_id = m.project_id and message_id = m.id and search is not null
        ) t
        where t.running <= ${sql.lit(MESSAGE_FOLD_BYTES)}
      ), ''::tsvector), 'C') ||
      setweight(to_tsvector('simple',
        left(coalesce(nullif(m.text_body, ''), m.reply_text), 100000)), 'D')
  `.execute(db);

  // Text recorded or replaced (row by row: a trigger with a column list cannot see a transition
  // table, and the column list keeps claims, which touch only the lease, from firing it), or
  // removed with its attachment: the message is searched anew.
  await sql`
    create function attachment_texts_refresh_message_search() returns trigger
    language plpgsql as $$
    begin
      update messages m set search = messages_search_document(m)
      where m.project_id = new.project_id and m.id = new.message_id;
      return null;
    end
    $$
  `.execute(db);
  await sql`
    create trigger attachment_texts_search_update after update of text on attachment_texts
    for each row execute function attachment_texts_refresh_message_search()
  `.execute(db);
  await sql`
    create function attachment_texts_refresh_after_delete() returns trigger
    language plpgsql as $$
    begin
      update messages m set search = messages_search_document(m)
      where (m.project_id, m.id) in (select project_id, message_id from old_texts);
      return null;
    end
    $$
  `.execute(db);
  await sql`
    create trigger attachment_texts_search_delete after delete on attachment_texts
    referencing old table as old_texts
    for each statement execute function attachment_texts_refresh_after_delete()
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  // Back to the search migration's document first: it depends on the table and the aggregate.
  await sql`
    create or replace function messages_search_document(m messages) returns tsvector
    language sql stable parallel safe
    return
      setweight(to_tsvector('simple', left(m.subject, 2000)), 'A') ||
      setweight(to_tsvector('simple', left(coalesce((
        select string_agg(docket_search_words(a.filename), ' ' order by a.position)
        from attachments a
        where a.project_id = m.project_id and a.message_id = m.id and a.filename is not null
      ), ''), 20000)), 'A') ||
      setweight(to_tsvector('simple', left(concat_ws(' ',
        m.from_name, docket_search_words(m.from_address),
        (select string_agg(docket_search_words(p #>> '{}'), ' ')
         from jsonb_path_query(m.to_addresses || m.cc_addresses, 'lax $[*].*') p)
      ), 20000)), 'B') ||
      setweight(to_tsvector('simple',
        left(coalesce(nullif(m.text_body, ''), m.reply_text), 100000)), 'D')
  `.execute(db);
  await sql`update messages set search = messages_search_document(messages)`.execute(db);
  await sql`drop trigger attachments_queue_text on attachments`.execute(db);
  await sql`drop function attachments_queue_text()`.execute(db);
  await db.schema.dropTable('attachment_texts').execute();
  await sql`drop function attachment_texts_refresh_message_search()`.execute(db);
  await sql`drop function attachment_texts_refresh_after_delete()`.execute(db);
  await sql`drop function attachment_texts_derive_search()`.execute(db);
  await sql`drop aggregate docket_tsvector_agg(tsvector)`.execute(db);
  await sql`drop function attachment_text_vector(text, integer)`.execute(db);
}
