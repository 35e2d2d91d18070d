import { sql, type Kysely } from 'kysely';

// Frozen in time: people who sign in to the web pages, their sessions, and the one-use links that
// start a session. Tokens are never stored: only their SHA-256, so a copy of the database does not
// let anyone sign in. Project membership stays in `members`, matched by email.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', 'bigint', (col) => col.generatedAlwaysAsIdentity().primaryKey())
    .addColumn('email', 'text', (col) =>
      col
        .notNull()
        .unique()
        .check(sql`email = lower(email)`),
    )
    .addColumn('name', 'text')
    .addColumn('is_admin', 'boolean', (col) => col.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('web_sessions')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('user_id', 'bigint', (col) =>
      col.notNull().references('users.id').onDelete('cascade'),
    )
    .addColumn('csrf_secret', 'text', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull())
    .addColumn('expires_at', 'timestamptz', (col) => col.notNull())
    .addColumn('last_seen_at', 'timestamptz', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('web_sessions_user').on('web_sessions').column('user_id').execute();

  await db.schema
    .createTable('login_tokens')
    .addColumn('token_hash', 'text', (col) => col.primaryKey())
    .addColumn('email', 'text', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull())
    .addColumn('expires_at', 'timestamptz', (col) => col.notNull())
    .addColumn('used_at', 'timestamptz')
    .execute();

  // Recent requests for a login link, counted per email and per client address to rate-limit them.
  await db.schema
    .createTable('login_requests')
    .addColumn('id', 'bigint', (col) => col.generatedAlwaysAsIdentity().primaryKey())
    .addColumn('email', 'text', (col) => col.notNull())
    .addColumn('client_address', 'text')
    .addColumn('requested_at', 'timestamptz', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('login_requests_email')
    .on('login_requests')
    .columns(['email', 'requested_at'])
    .execute();
  await db.schema
    .createIndex('login_requests_client')
    .on('login_requests')
    .columns(['client_address', 'requested_at'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('login_requests').execute();
  await db.schema.dropTable('login_tokens').execute();
  await db.schema.dropTable('web_sessions').execute();
  await db.schema.dropTable('users').execute();
}
