import { sql, type Kysely } from 'kysely';

// Frozen in time: what the reminder jobs (daily digest, escalation) need.
//
// - Per project: the local time its morning reminders go out, and the two escalation thresholds
//   (working days overdue before managers, then administrators, are told).
// - Per member: reminders paused through a local date ('9999-12-31': until resumed), for a person
//   whose out-of-office answered a notification.
// - Addresses known to be undeliverable (a hard bounce): reminders skip them.
// - reminders_sent: the exactly-once ledger. A reminder's identity is (job, person, local date);
//   the key and the outbox row are written in one transaction, and the primary key decides which
//   of two instances racing for the same reminder sends it.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('projects')
    .addColumn('digest_time', 'text', (col) =>
      col
        .notNull()
        .defaultTo('07:00')
        .check(sql`digest_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'`),
    )
    .addColumn('escalate_after_days', 'integer', (col) =>
      col
        .notNull()
        .defaultTo(3)
        .check(sql`escalate_after_days >= 1`),
    )
    .addColumn('escalate_admin_after_days', 'integer', (col) =>
      col
        .notNull()
        .defaultTo(10)
        .check(sql`escalate_admin_after_days >= 1`),
    )
    .execute();

  await db.schema.alterTable('members').addColumn('reminders_paused_until', 'date').execute();

  await db.schema
    .createTable('undeliverable_addresses')
    .addColumn('email', 'text', (col) => col.primaryKey().check(sql`email = lower(email)`))
    .addColumn('reason', 'text', (col) => col.notNull())
    .addColumn('marked_at', 'timestamptz', (col) => col.notNull())
    // The bounce that said so, when one did (a project's message); null when marked by hand.
    .addColumn('source_project_id', 'bigint')
    .addColumn('source_message_id', 'bigint')
    .execute();

  await db.schema
    .createTable('reminders_sent')
    .addColumn('job', 'text', (col) => col.notNull())
    .addColumn('person', 'text', (col) => col.notNull())
    .addColumn('local_date', 'date', (col) => col.notNull())
    // The project whose local date and morning the reminder belongs to.
    .addColumn('project_id', 'bigint')
    // The outbox row carrying it (the outbox is keyed by project). The key is claimed first and
    // these are filled in the same transaction, so a committed row always names its mail.
    .addColumn('outbox_project_id', 'bigint')
    .addColumn('outbox_id', 'bigint')
    .addColumn('item_count', 'integer', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull())
    .addPrimaryKeyConstraint('reminders_sent_pkey', ['job', 'person', 'local_date'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('reminders_sent').execute();
  await db.schema.dropTable('undeliverable_addresses').execute();
  await db.schema.alterTable('members').dropColumn('reminders_paused_until').execute();
  await db.schema
    .alterTable('projects')
    .dropColumn('digest_time')
    .dropColumn('escalate_after_days')
    .dropColumn('escalate_admin_after_days')
    .execute();
}
