import { sql, type Kysely } from 'kysely';

// Frozen in time: the records a team runs its job on (submittals, transmittals, correspondence
// items), their audit trail, and the outbox every notification leaves through.

export async function up(db: Kysely<any>): Promise<void> {
  // Docket's own notifications are stored and filed like any other mail, so they thread with the
  // records they are about.
  await sql`alter table inbound_messages drop constraint inbound_messages_transport_check`.execute(
    db,
  );
  await sql`alter table inbound_messages add constraint inbound_messages_transport_check
    check (transport in ('smtp', 'lmtp', 'import', 'outbound'))`.execute(db);

  await db.schema
    .alterTable('projects')
    .addColumn('working_weekdays', sql`integer[]`, (col) =>
      col.notNull().defaultTo(sql`'{1,2,3,4,5}'`),
    )
    .addColumn('holidays', sql`text[]`, (col) => col.notNull().defaultTo(sql`'{}'`))
    .addColumn('review_days', 'integer', (col) => col.notNull().defaultTo(10))
    .addColumn('rfi_days', 'integer', (col) => col.notNull().defaultTo(7))
    .addColumn('ack_days', 'integer', (col) => col.notNull().defaultTo(2))
    .addColumn('require_dmarc', 'boolean', (col) => col.notNull().defaultTo(false))
    .addColumn('response_aliases', 'jsonb', (col) => col.notNull().defaultTo(sql`'{}'`))
    .addColumn('rfi_manager', 'text')
    .execute();

  await sql`alter table members add column id bigint generated always as identity`.execute(db);
  await db.schema
    .alterTable('members')
    .addUniqueConstraint('members_id', ['project_id', 'id'])
    .execute();

  await db.schema
    .createTable('workflows')
    .addColumn('project_id', 'bigint', (col) => col.notNull().references('projects.id'))
    .addColumn('id', 'bigint', (col) => col.generatedAlwaysAsIdentity())
    .addColumn('name', 'text', (col) => col.notNull())
    // Null: the project default. Otherwise the spec division ('03') or section ('03 30 00') it serves.
    .addColumn('spec_prefix', 'text')
    // [[email, email], [email]]: ordered steps, each with its reviewers in parallel.
    .addColumn('steps', 'jsonb', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('workflows_pkey', ['project_id', 'id'])
    .addUniqueConstraint('workflows_name', ['project_id', 'name'])
    .execute();

  await db.schema
    .createTable('submittals')
    .addColumn('project_id', 'bigint', (col) => col.notNull().references('projects.id'))
    .addColumn('id', 'bigint', (col) => col.generatedAlwaysAsIdentity())
    .addColumn('spec_section', 'text', (col) => col.notNull())
    .addColumn('seq', 'integer', (col) => col.notNull())
    .addColumn('title', 'text', (col) => col.notNull())
    .addColumn('type', 'text', (col) => col.notNull().defaultTo('Other'))
    .addColumn('status', 'text', (col) =>
      col.notNull().check(sql`status in ('draft', 'open', 'closed')`),
    )
    .addColumn('decision', 'text')
    .addColumn('revision', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('submitter', 'text', (col) => col.notNull())
    .addColumn('submitter_name', 'text')
    .addColumn('responsible_contractor', 'text')
    .addColumn('submittal_manager', 'text')
    .addColumn('ball_in_court', sql`text[]`, (col) => col.notNull().defaultTo(sql`'{}'`))
    .addColumn('due_at', 'timestamptz')
    .addColumn('required_on_site', 'date')
    .addColumn('lead_time_days', 'integer')
    .addColumn('distribution', sql`text[]`, (col) => col.notNull().defaultTo(sql`'{}'`))
    .addColumn('thread_id', 'bigint')
    .addColumn('received_at', 'timestamptz', (col) => col.notNull())
    .addColumn('issued_at', 'timestamptz')
    .addColumn('closed_at', 'timestamptz')
    .addPrimaryKeyConstraint('submittals_pkey', ['project_id', 'id'])
    .addUniqueConstraint('submittals_number', ['project_id', 'spec_section', 'seq'])
    .execute();

  await db.schema
    .createTable('submittal_revisions')
    .addColumn('project_id', 'bigint', (col) => col.notNull())
    .addColumn('submittal_id', 'bigint', (col) => col.notNull())
    .addColumn('revision', 'integer', (col) => col.notNull())
    .addColumn('status', 'text', (col) =>
      col.notNull().check(sql`status in ('in_review', 'decided')`),
    )
    .addColumn('decision', 'text')
    .addColumn('steps', 'jsonb', (col) => col.notNull())
    .addColumn('current_step', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('message_id', 'bigint')
    .addColumn('received_at', 'timestamptz', (col) => col.notNull())
    .addColumn('decided_at', 'timestamptz')
    .addPrimaryKeyConstraint('submittal_revisions_pkey', ['project_id', 'submittal_id', 'revision'])
    .execute();

  await db.schema
    .createTable('review_steps')
    .addColumn('project_id', 'bigint', (col) => col.notNull())
    .addColumn('submittal_id', 'bigint', (col) => col.notNull())
    .addColumn('revision', 'integer', (col) => col.notNull())
    .addColumn('step', 'integer', (col) => col.notNull())
    .addColumn('reviewer', 'text', (col) => col.notNull())
    .addColumn('member_id', 'bigint')
    .addColumn('state', 'text', (col) =>
      col.notNull().check(sql`state in ('waiting', 'pending', 'answered')`),
    )
    .addColumn('decision', 'text')
    .addColumn('comment', 'text')
    .addColumn('due_at', 'timestamptz')
    .addColumn('notified_at', 'timestamptz')
    .addColumn('answered_at', 'timestamptz')
    .addColumn('answer_message_id', 'bigint')
    .addPrimaryKeyConstraint('review_steps_pkey', [
      'project_id',
      'submittal_id',
      'revision',
      'step',
      'reviewer',
    ])
    .execute();
  await db.schema
    .createIndex('review_steps_pending')
    .on('review_steps')
    .columns(['project_id', 'reviewer', 'due_at'])
    .where(sql.ref('state'), '=', 'pending')
    .execute();

  await db.schema
    .createTable('submittal_documents')
    .addColumn('project_id', 'bigint', (col) => col.notNull())
    .addColumn('submittal_id', 'bigint', (col) => col.notNull())
    .addColumn('revision', 'integer', (col) => col.notNull())
    .addColumn('attachment_id', 'bigint', (col) => col.notNull())
    .addColumn('kind', 'text', (col) => col.notNull().check(sql`kind in ('document', 'markup')`))
    .addColumn('added_by', 'text')
    .addPrimaryKeyConstraint('submittal_documents_pkey', [
      'project_id',
      'submittal_id',
      'revision',
      'attachment_id',
    ])
    .execute();

  await db.schema
    .createTable('transmittals')
    .addColumn('project_id', 'bigint', (col) => col.notNull().references('projects.id'))
    .addColumn('id', 'bigint', (col) => col.generatedAlwaysAsIdentity())
    .addColumn('number', 'integer', (col) => col.notNull())
    .addColumn('subject', 'text', (col) => col.notNull())
    .addColumn('sender', 'text', (col) => col.notNull())
    .addColumn('sender_name', 'text')
    .addColumn('purpose', 'text', (col) => col.notNull())
    .addColumn('sent_via', 'text', (col) => col.notNull())
    .addColumn('remarks', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('cover_sha256', 'text')
    .addColumn('message_id', 'bigint')
    .addColumn('thread_id', 'bigint')
    .addColumn('status', 'text', (col) => col.notNull().check(sql`status in ('open', 'closed')`))
    .addColumn('due_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull())
    .addColumn('closed_at', 'timestamptz')
    .addPrimaryKeyConstraint('transmittals_pkey', ['project_id', 'id'])
    .addUniqueConstraint('transmittals_number', ['project_id', 'number'])
    .execute();

  await db.schema
    .createTable('transmittal_items')
    .addColumn('project_id', 'bigint', (col) => col.notNull())
    .addColumn('transmittal_id', 'bigint', (col) => col.notNull())
    .addColumn('position', 'integer', (col) => col.notNull())
    .addColumn('attachment_id', 'bigint')
    .addColumn('description', 'text', (col) => col.notNull())
    .addColumn('format', 'text', (col) => col.notNull())
    .addColumn('copies', 'integer', (col) => col.notNull().defaultTo(1))
    .addColumn('file_name', 'text', (col) => col.notNull())
    .addColumn('size', 'bigint', (col) => col.notNull())
    .addColumn('sha256', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('transmittal_items_pkey', ['project_id', 'transmittal_id', 'position'])
    .execute();

  await db.schema
    .createTable('transmittal_recipients')
    .addColumn('project_id', 'bigint', (col) => col.notNull())
    .addColumn('transmittal_id', 'bigint', (col) => col.notNull())
    .addColumn('email', 'text', (col) => col.notNull())
    .addColumn('name', 'text')
    .addColumn('role', 'text', (col) => col.notNull().check(sql`role in ('to', 'cc')`))
    .addColumn('acknowledged_at', 'timestamptz')
    .addColumn('ack_message_id', 'bigint')
    .addPrimaryKeyConstraint('transmittal_recipients_pkey', [
      'project_id',
      'transmittal_id',
      'email',
    ])
    .execute();

  // RFIs, notices, letters…: numbered per type prefix within a project.
  await db.schema
    .createTable('items')
    .addColumn('project_id', 'bigint', (col) => col.notNull().references('projects.id'))
    .addColumn('id', 'bigint', (col) => col.generatedAlwaysAsIdentity())
    .addColumn('prefix', 'text', (col) => col.notNull())
    .addColumn('number', 'integer', (col) => col.notNull())
    .addColumn('subject', 'text', (col) => col.notNull())
    .addColumn('question', 'text', (col) => col.notNull())
    .addColumn('asker', 'text', (col) => col.notNull())
    .addColumn('asker_name', 'text')
    .addColumn('ball_in_court', sql`text[]`, (col) => col.notNull().defaultTo(sql`'{}'`))
    .addColumn('status', 'text', (col) =>
      col.notNull().check(sql`status in ('open', 'answered', 'closed')`),
    )
    .addColumn('answer', 'text')
    .addColumn('answered_by', 'text')
    .addColumn('due_at', 'timestamptz')
    .addColumn('thread_id', 'bigint')
    .addColumn('message_id', 'bigint')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull())
    .addColumn('answered_at', 'timestamptz')
    .addColumn('closed_at', 'timestamptz')
    .addPrimaryKeyConstraint('items_pkey', ['project_id', 'id'])
    .addUniqueConstraint('items_number', ['project_id', 'prefix', 'number'])
    .execute();

  // Who did what, when, and on what evidence: status and ball-in-court changes, decisions with the
  // raw message's SHA-256, its authentication results and the reply token's claims.
  await db.schema
    .createTable('audit_events')
    .addColumn('project_id', 'bigint', (col) => col.notNull())
    .addColumn('id', 'bigint', (col) => col.generatedAlwaysAsIdentity())
    .addColumn('record_type', 'text', (col) => col.notNull())
    .addColumn('record_id', 'bigint', (col) => col.notNull())
    .addColumn('at', 'timestamptz', (col) => col.notNull())
    .addColumn('actor', 'text')
    .addColumn('action', 'text', (col) => col.notNull())
    .addColumn('details', 'jsonb', (col) => col.notNull().defaultTo(sql`'{}'`))
    .addPrimaryKeyConstraint('audit_events_pkey', ['project_id', 'id'])
    .execute();
  await db.schema
    .createIndex('audit_events_by_record')
    .on('audit_events')
    .columns(['project_id', 'record_type', 'record_id', 'at'])
    .execute();

  // A reply token is good for one decision: its id is recorded here when it is spent.
  await db.schema
    .createTable('used_reply_tokens')
    .addColumn('project_id', 'bigint', (col) => col.notNull())
    .addColumn('token_id', 'text', (col) => col.notNull())
    .addColumn('used_at', 'timestamptz', (col) => col.notNull())
    .addColumn('message_id', 'bigint')
    .addPrimaryKeyConstraint('used_reply_tokens_pkey', ['project_id', 'token_id'])
    .execute();

  // Every notification is written here in the transaction that caused it, then delivered.
  await db.schema
    .createTable('outbox')
    .addColumn('project_id', 'bigint', (col) => col.notNull())
    .addColumn('id', 'bigint', (col) => col.generatedAlwaysAsIdentity())
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) =>
      col.notNull().check(sql`status in ('captured', 'queued', 'sent', 'failed')`),
    )
    .addColumn('message_id', 'text', (col) => col.notNull())
    .addColumn('raw_sha256', 'text', (col) => col.notNull())
    .addColumn('envelope_from', 'text', (col) => col.notNull())
    .addColumn('from_address', 'text', (col) => col.notNull())
    .addColumn('to_addresses', sql`text[]`, (col) => col.notNull())
    .addColumn('reply_to', 'text')
    .addColumn('subject', 'text', (col) => col.notNull())
    .addColumn('text_body', 'text', (col) => col.notNull())
    .addColumn('html_body', 'text')
    .addColumn('headers', 'jsonb', (col) => col.notNull().defaultTo(sql`'{}'`))
    .addColumn('attachments', 'jsonb', (col) => col.notNull().defaultTo(sql`'[]'`))
    .addColumn('record_type', 'text')
    .addColumn('record_id', 'bigint')
    .addColumn('thread_id', 'bigint')
    .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'timestamptz')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull())
    .addColumn('sent_at', 'timestamptz')
    .addPrimaryKeyConstraint('outbox_pkey', ['project_id', 'id'])
    .execute();
  await db.schema
    .createIndex('outbox_due')
    .on('outbox')
    .columns(['next_attempt_at'])
    .where(sql.ref('status'), '=', 'queued')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table inbound_messages drop constraint inbound_messages_transport_check`.execute(
    db,
  );
  await sql`alter table inbound_messages add constraint inbound_messages_transport_check
    check (transport in ('smtp', 'lmtp', 'import'))`.execute(db);
  for (const table of [
    'outbox',
    'used_reply_tokens',
    'audit_events',
    'items',
    'transmittal_recipients',
    'transmittal_items',
    'transmittals',
    'submittal_documents',
    'review_steps',
    'submittal_revisions',
    'submittals',
    'workflows',
  ]) {
    await db.schema.dropTable(table).execute();
  }
  await db.schema.alterTable('members').dropConstraint('members_id').execute();
  await db.schema.alterTable('members').dropColumn('id').execute();
  for (const column of [
    'working_weekdays',
    'holidays',
    'review_days',
    'rfi_days',
    'ack_days',
    'require_dmarc',
    'response_aliases',
    'rfi_manager',
  ]) {
    await db.schema.alterTable('projects').dropColumn(column).execute();
  }
}
