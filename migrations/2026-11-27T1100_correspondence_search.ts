import { sql, type Kysely } from 'kysely';

// Frozen in time: what the correspondence log filters, searches and pages through.
//
// Three columns on `messages` are derived by triggers, never written by the application:
//   search       full-text document: subject, attachment file names, people, body text
//   recipients   To and Cc addresses plus '@domain' of each, lowercased: one GIN index answers
//                "sent to sam@architect.example" and "sent to anyone at @architect.example"
//   from_domain  the sender's domain, so "from @contractor.example" walks a btree in date order
//
// Why triggers and not GENERATED columns: attachments are inserted after their message (they need
// its id), and a generated column can only see its own row. So a BEFORE trigger on `messages`
// derives all three when the columns they read are written, and statement-level triggers on
// `attachments` recompute `search` of the messages whose attachments changed: once per message
// per statement, not once per attachment. Updating only `search` does not fire the messages
// trigger again (it fires on `update of` the source columns alone), and thread merges, which
// update `thread_id`, recompute nothing.
//
// Why the 'simple' configuration: construction mail on one project is written in several
// languages (German, French, Scandinavian, English…) and is full of codes (03 30 00, RFI-012,
// TWR-A). 'english' would stem foreign words into nonsense and drop stop words from phrases;
// 'simple' only lowercases, so a search finds the word that was written, in any language.

export async function up(db: Kysely<any>): Promise<void> {
  // Constant defaults: adding the columns does not rewrite the table.
  await db.schema
    .alterTable('messages')
    .addColumn('search', sql`tsvector`, (col) => col.notNull().defaultTo(sql`''::tsvector`))
    .addColumn('recipients', sql`text[]`, (col) => col.notNull().defaultTo(sql`'{}'`))
    .addColumn('from_domain', 'text')
    .execute();

  // An address or file name as words: whole ('anchor_bolts_rev2.pdf', 'dana@contractor.example'),
  // split at '@' ('dana', 'contractor.example') and at punctuation ('anchor', 'bolts', 'rev2',
  // 'pdf'). The text-search parser keeps file names and addresses as single tokens otherwise.
  await sql`
    create function docket_search_words(value text) returns text
    language sql immutable parallel safe
    return concat_ws(' ', value, replace(value, '@', ' '),
      regexp_replace(value, '[[:punct:]]+', ' ', 'g'))
  `.execute(db);

  // Each part is capped (the body at 100,000 characters) so the index stays bounded when someone
  // pastes a log file or a base64 blob into a message, and the document stays far below the 1 MB
  // a tsvector can hold: filing must never fail on it. text_body includes quoted history, as mail
  // clients search it; reply_text stands in when there is no text body.
  await sql`
    create function messages_search_document(m messages) returns tsvector
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

  // jsonb_path_query in lax mode skips anything that is not an address object instead of failing,
  // and keys longer than any real address or domain are left out rather than overflow an index
  // entry: a malformed message must never stop mail being filed.
  await sql`
    create function messages_recipient_keys(to_addresses jsonb, cc_addresses jsonb) returns text[]
    language sql immutable parallel safe
    return coalesce((
      select array_agg(distinct k order by k)
      from (
        select lower(a #>> '{}') as address
        from jsonb_path_query(to_addresses || cc_addresses, 'lax $[*].address') a
      ) s
      cross join lateral (values (address), ('@' || substring(address from '@([^@]*)$'))) v(k)
      where address <> '' and k is not null and k <> '@' and length(k) <= 320
    ), '{}')
  `.execute(db);

  await sql`
    create function messages_derive_log_columns() returns trigger
    language plpgsql as $$
    begin
      new.recipients := messages_recipient_keys(new.to_addresses, new.cc_addresses);
      new.from_domain := left(nullif(lower(substring(new.from_address from '@([^@]*)$')), ''), 255);
      new.search := messages_search_document(new);
      return new;
    end
    $$
  `.execute(db);
  await sql`
    create trigger messages_derive_log_columns
    before insert or update of subject, from_address, from_name, to_addresses, cc_addresses,
      text_body, reply_text
    on messages for each row execute function messages_derive_log_columns()
  `.execute(db);

  // One function for the three attachment triggers; each names its transition table(s).
  await sql`
    create function attachments_refresh_message_search() returns trigger
    language plpgsql as $$
    begin
      if tg_op in ('INSERT', 'UPDATE') then
        update messages m set search = messages_search_document(m)
        where (m.project_id, m.id) in (select project_id, message_id from new_attachments);
      end if;
      if tg_op in ('DELETE', 'UPDATE') then
        update messages m set search = messages_search_document(m)
        where (m.project_id, m.id) in (select project_id, message_id from old_attachments);
      end if;
      return null;
    end
    $$
  `.execute(db);
  await sql`
    create trigger attachments_search_insert after insert on attachments
    referencing new table as new_attachments
    for each statement execute function attachments_refresh_message_search()
  `.execute(db);
  await sql`
    create trigger attachments_search_update after update on attachments
    referencing old table as old_attachments new table as new_attachments
    for each statement execute function attachments_refresh_message_search()
  `.execute(db);
  await sql`
    create trigger attachments_search_delete after delete on attachments
    referencing old table as old_attachments
    for each statement execute function attachments_refresh_message_search()
  `.execute(db);

  // Backfill: touching a source column fires the trigger for every existing message. Done before
  // the indexes exist, which is faster than maintaining them row by row.
  await sql`update messages set subject = subject`.execute(db);

  // Keyset orders. Every index leads with project_id (the log is always one project's) and ends
  // with (received_at desc, id desc), so one index serves a filter or a sort key plus the date
  // order within it, forwards and (scanned backwards) in reverse. Text keys are cut (an address
  // to 320 characters, longer than a real one can be; a subject to the first 200, plenty to sort
  // by): a btree entry holds about 2,700 bytes, and a longer key would refuse the message.
  await db.schema
    .createIndex('messages_log_received')
    .on('messages')
    .columns(['project_id', 'received_at desc', 'id desc'])
    .execute();
  // The sender: exact-address filter and the "by sender" sort. Mail without a From sorts as ''.
  // The query repeats these expressions exactly (correspondence/log-query.ts).
  await db.schema
    .createIndex('messages_log_sender')
    .on('messages')
    .column('project_id')
    .column(sql`left(coalesce(from_address, ''), 320)`)
    .columns(['received_at desc', 'id desc'])
    .execute();
  await db.schema
    .createIndex('messages_log_sender_domain')
    .on('messages')
    .columns(['project_id', 'from_domain', 'received_at desc', 'id desc'])
    .execute();
  await db.schema
    .createIndex('messages_log_subject')
    .on('messages')
    .column('project_id')
    .column(sql`left(normalized_subject, 200)`)
    .columns(['received_at desc', 'id desc'])
    .execute();
  // Set-valued filters: words, recipients, flags. GIN cannot give an order; the planner combines
  // them with a sort when they are selective and walks a btree above when they are not.
  await db.schema
    .createIndex('messages_search')
    .on('messages')
    .using('gin')
    .column('search')
    .execute();
  await db.schema
    .createIndex('messages_recipients')
    .on('messages')
    .using('gin')
    .column('recipients')
    .execute();
  await db.schema
    .createIndex('messages_flags')
    .on('messages')
    .using('gin')
    .column('flags')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const index of [
    'messages_flags',
    'messages_recipients',
    'messages_search',
    'messages_log_subject',
    'messages_log_sender_domain',
    'messages_log_sender',
    'messages_log_received',
  ]) {
    await db.schema.dropIndex(index).execute();
  }
  for (const trigger of [
    'attachments_search_delete on attachments',
    'attachments_search_update on attachments',
    'attachments_search_insert on attachments',
    'messages_derive_log_columns on messages',
  ]) {
    await sql`drop trigger ${sql.raw(trigger)}`.execute(db);
  }
  await sql`drop function attachments_refresh_message_search()`.execute(db);
  await sql`drop function messages_derive_log_columns()`.execute(db);
  await sql`drop function messages_recipient_keys(jsonb, jsonb)`.execute(db);
  await sql`drop function messages_search_document(messages)`.execute(db);
  await sql`drop function docket_search_words(text)`.execute(db);
  await db.schema
    .alterTable('messages')
    .dropColumn('search')
    .dropColumn('recipients')
    .dropColumn('from_domain')
    .execute();
}
