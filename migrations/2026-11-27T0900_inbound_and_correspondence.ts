import { sql, type Kysely } from 'kysely';

// Frozen in time: migrations take Kysely<any> and never import application types.
// Every table that belongs to a project leads its primary key with project_id, the column a
// distributed PostgreSQL (Citus) would shard on.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('projects')
    .addColumn('id', 'bigint', (col) => col.generatedAlwaysAsIdentity().primaryKey())
    .addColumn('code', 'text', (col) => col.notNull().unique())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('timezone', 'text', (col) => col.notNull().defaultTo('UTC'))
    .addColumn('sender_policy', 'text', (col) =>
      col
        .notNull()
        .defaultTo('anyone')
        .check(sql`sender_policy in ('anyone', 'members')`),
    )
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('members')
    .addColumn('project_id', 'bigint', (col) => col.notNull().references('projects.id'))
    .addColumn('email', 'text', (col) => col.notNull())
    .addColumn('name', 'text')
    .addColumn('role', 'text', (col) =>
      col
        .notNull()
        .defaultTo('member')
        .check(sql`role in ('manager', 'reviewer', 'member')`),
    )
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('members_pkey', ['project_id', 'email'])
    .execute();

  // Content-addressed bytes. Shared by every project (the same PDF sent to two projects is kept
  // once); `data` is used only by the database blob store.
  await db.schema
    .createTable('blobs')
    .addColumn('sha256', 'text', (col) => col.primaryKey())
    .addColumn('size', 'bigint', (col) => col.notNull())
    .addColumn('storage', 'text', (col) =>
      col.notNull().check(sql`storage in ('files', 'database')`),
    )
    .addColumn('data', 'bytea')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  // Compressing already-compressed mail wastes CPU for no gain; keep the bytes out of line as sent.
  await sql`alter table blobs alter column data set storage external`.execute(db);

  // One row per message per project, written before `250`: the envelope and a pointer to the raw
  // bytes. Everything else is derived from it and can be derived again.
  await db.schema
    .createTable('inbound_messages')
    .addColumn('project_id', 'bigint', (col) => col.notNull().references('projects.id'))
    .addColumn('id', 'bigint', (col) => col.generatedAlwaysAsIdentity())
    .addColumn('raw_sha256', 'text', (col) => col.notNull().references('blobs.sha256'))
    .addColumn('raw_size', 'bigint', (col) => col.notNull())
    .addColumn('dedupe_key', 'text', (col) => col.notNull())
    .addColumn('transport', 'text', (col) =>
      col.notNull().check(sql`transport in ('smtp', 'lmtp', 'import')`),
    )
    .addColumn('mail_from', 'text')
    .addColumn('rcpt_to', sql`text[]`, (col) => col.notNull())
    .addColumn('client_address', 'text')
    .addColumn('client_hostname', 'text')
    .addColumn('helo', 'text')
    .addColumn('smtp_session_id', 'text')
    .addColumn('received_at', 'timestamptz', (col) => col.notNull())
    .addColumn('deliveries', 'integer', (col) => col.notNull().defaultTo(1))
    .addColumn('state', 'text', (col) =>
      col
        .notNull()
        .defaultTo('received')
        .check(sql`state in ('received', 'filed')`),
    )
    .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('claimed_until', 'timestamptz')
    .addColumn('last_error', 'text')
    .addColumn('filed_at', 'timestamptz')
    .addPrimaryKeyConstraint('inbound_messages_pkey', ['project_id', 'id'])
    .addUniqueConstraint('inbound_messages_dedupe', ['project_id', 'dedupe_key'])
    .execute();
  await db.schema
    .createIndex('inbound_messages_pending')
    .on('inbound_messages')
    .columns(['id'])
    .where(sql.ref('state'), '=', 'received')
    .execute();

  await db.schema
    .createTable('threads')
    .addColumn('project_id', 'bigint', (col) => col.notNull().references('projects.id'))
    .addColumn('id', 'bigint', (col) => col.generatedAlwaysAsIdentity())
    .addColumn('subject', 'text', (col) => col.notNull())
    .addColumn('normalized_subject', 'text', (col) => col.notNull())
    .addColumn('participants', sql`text[]`, (col) => col.notNull().defaultTo(sql`'{}'`))
    .addColumn('message_count', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('first_message_at', 'timestamptz', (col) => col.notNull())
    .addColumn('last_message_at', 'timestamptz', (col) => col.notNull())
    .addColumn('merged_into', 'bigint')
    .addPrimaryKeyConstraint('threads_pkey', ['project_id', 'id'])
    .execute();
  await db.schema
    .createIndex('threads_by_subject')
    .on('threads')
    .columns(['project_id', 'normalized_subject', 'last_message_at'])
    .execute();

  // Message-IDs (also of parents not seen yet), Outlook thread-index roots and subject tags, each
  // bound to the thread it belongs to. A late parent finds its children's thread here.
  await db.schema
    .createTable('thread_keys')
    .addColumn('project_id', 'bigint', (col) => col.notNull())
    .addColumn('key', 'text', (col) => col.notNull())
    .addColumn('thread_id', 'bigint', (col) => col.notNull())
    .addPrimaryKeyConstraint('thread_keys_pkey', ['project_id', 'key'])
    .addForeignKeyConstraint('thread_keys_thread', ['project_id', 'thread_id'], 'threads', [
      'project_id',
      'id',
    ])
    .execute();
  await db.schema
    .createIndex('thread_keys_by_thread')
    .on('thread_keys')
    .columns(['project_id', 'thread_id'])
    .execute();

  await db.schema
    .createTable('messages')
    .addColumn('project_id', 'bigint', (col) => col.notNull())
    .addColumn('id', 'bigint', (col) => col.generatedAlwaysAsIdentity())
    .addColumn('inbound_id', 'bigint', (col) => col.notNull())
    .addColumn('thread_id', 'bigint', (col) => col.notNull())
    .addColumn('message_id', 'text')
    .addColumn('parent_message_id', 'text')
    .addColumn('in_reply_to', sql`text[]`, (col) => col.notNull().defaultTo(sql`'{}'`))
    .addColumn('references', sql`text[]`, (col) => col.notNull().defaultTo(sql`'{}'`))
    .addColumn('thread_index', 'text')
    .addColumn('subject', 'text', (col) => col.notNull())
    .addColumn('normalized_subject', 'text', (col) => col.notNull())
    .addColumn('from_address', 'text')
    .addColumn('from_name', 'text')
    .addColumn('to_addresses', 'jsonb', (col) => col.notNull().defaultTo(sql`'[]'`))
    .addColumn('cc_addresses', 'jsonb', (col) => col.notNull().defaultTo(sql`'[]'`))
    .addColumn('reply_to_addresses', 'jsonb', (col) => col.notNull().defaultTo(sql`'[]'`))
    .addColumn('sent_at', 'timestamptz')
    .addColumn('received_at', 'timestamptz', (col) => col.notNull())
    .addColumn('text_body', 'text')
    .addColumn('html_body', 'text')
    .addColumn('reply_text', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('elided_text', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('flags', sql`text[]`, (col) => col.notNull().defaultTo(sql`'{}'`))
    .addColumn('classification', 'jsonb', (col) => col.notNull().defaultTo(sql`'{}'`))
    .addColumn('parse_warnings', sql`text[]`, (col) => col.notNull().defaultTo(sql`'{}'`))
    .addColumn('filing_reasons', 'jsonb', (col) => col.notNull().defaultTo(sql`'[]'`))
    .addColumn('attachment_count', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('filed_at', 'timestamptz', (col) => col.notNull())
    .addPrimaryKeyConstraint('messages_pkey', ['project_id', 'id'])
    .addUniqueConstraint('messages_inbound', ['project_id', 'inbound_id'])
    .addForeignKeyConstraint(
      'messages_inbound_fk',
      ['project_id', 'inbound_id'],
      'inbound_messages',
      ['project_id', 'id'],
    )
    .addForeignKeyConstraint('messages_thread_fk', ['project_id', 'thread_id'], 'threads', [
      'project_id',
      'id',
    ])
    .execute();
  await db.schema
    .createIndex('messages_by_thread')
    .on('messages')
    .columns(['project_id', 'thread_id', 'received_at'])
    .execute();

  await db.schema
    .createTable('attachments')
    .addColumn('project_id', 'bigint', (col) => col.notNull())
    .addColumn('id', 'bigint', (col) => col.generatedAlwaysAsIdentity())
    .addColumn('message_id', 'bigint', (col) => col.notNull())
    .addColumn('position', 'integer', (col) => col.notNull())
    .addColumn('blob_sha256', 'text', (col) => col.notNull().references('blobs.sha256'))
    .addColumn('filename', 'text')
    .addColumn('content_type', 'text', (col) => col.notNull())
    .addColumn('size', 'bigint', (col) => col.notNull())
    .addColumn('content_id', 'text')
    .addColumn('inline', 'boolean', (col) => col.notNull())
    .addPrimaryKeyConstraint('attachments_pkey', ['project_id', 'id'])
    .addForeignKeyConstraint('attachments_message_fk', ['project_id', 'message_id'], 'messages', [
      'project_id',
      'id',
    ])
    .execute();
  await db.schema
    .createIndex('attachments_by_message')
    .on('attachments')
    .columns(['project_id', 'message_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'attachments',
    'messages',
    'thread_keys',
    'threads',
    'inbound_messages',
    'blobs',
    'members',
    'projects',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
