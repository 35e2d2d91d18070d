import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { z } from 'zod';

const booleanFlag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off', ''])
  .transform((value) => ['1', 'true', 'yes', 'on'].includes(value));

const port = z.coerce.number().int().min(0).max(65535);

const environmentSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  DOCKET_DATA_DIR: z.string().min(1).default('./data'),
  MAIL_DOMAIN: z
    .string()
    .regex(/^[a-z0-9.-]+$/i, 'must be a bare domain such as docket.example.com')
    .default('docket.localhost'),
  SMTP_HOST: z.string().min(1).default('0.0.0.0'),
  SMTP_PORT: port.default(2525),
  SMTP_LMTP: booleanFlag.default(false),
  SMTP_MAX_RECIPIENTS: z.coerce.number().int().min(1).default(100),
  SMTP_MAX_CONNECTIONS: z.coerce.number().int().min(1).default(200),
  HTTP_HOST: z.string().min(1).default('0.0.0.0'),
  HTTP_PORT: port.default(3000),
  PUBLIC_URL: z
    .string()
    .regex(/^https?:\/\/[^/\s]+(\/\S*)?$/, 'must be an http:// or https:// URL')
    .optional(),
  TRUST_PROXY: booleanFlag.default(false),
  MAX_MESSAGE_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(50 * 1024 * 1024),
  BLOB_STORE: z.enum(['files', 'database']).default('files'),
  BLOB_INLINE_MAX_BYTES: z.coerce.number().int().min(0).optional(),
  SCHEDULER: booleanFlag.default(true),
  FILING_WORKERS: z.coerce.number().int().min(0).max(64).optional(),
  SMTP_RELAY_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  OUTBOX_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(8),
  ATTACHMENT_TEXT_WORKERS: z.coerce.number().int().min(0).max(32).default(1),
  DOCKET_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
});

/** `json`: one JSON object a line, for log collectors; `pretty`: readable lines for a person. */
export type LogFormat = 'json' | 'pretty';

export type Config = Readonly<{
  databaseUrl: string | null;
  dataDir: string;
  mailDomain: string;
  /**
   * `maxConnections`: more are answered `421` and retry later. It bounds the memory the inbox
   * holds: each connection has at most one message in flight, held whole while it is small enough
   * to go into its database row.
   */
  smtp: Readonly<{
    host: string;
    port: number;
    lmtp: boolean;
    maxRecipients: number;
    maxConnections: number;
  }>;
  /**
   * `publicUrl`: where people reach the pages (links in mail); null means this machine's listener.
   * `trustProxy`: a reverse proxy in front sets X-Forwarded-For/-Proto, so they are believed.
   */
  http: Readonly<{ host: string; port: number; publicUrl: string | null; trustProxy: boolean }>;
  maxMessageBytes: number;
  blobStore: 'files' | 'database';
  /**
   * With `files`, blobs (raw messages, attachments) up to this size live in their database row and
   * commit with it. Default 64 KiB on PostgreSQL, where the row shares the commit's WAL flush with
   * every message committing at that moment (larger ones measured faster as fsynced files: ten
   * 200 KB messages in one statement write 2 MB of WAL); 0 on the embedded database (see the
   * README).
   */
  blobInlineMaxBytes: number;
  /** Worker threads that parse stored mail for filing (0: parse on the main thread). */
  filingWorkers: number;
  /** Whether this instance runs scheduled jobs; a deployment may run them in one instance only. */
  scheduler: boolean;
  /** Outbound relay; null keeps mail in the outbox as 'captured' (the embedded default). */
  relayUrl: string | null;
  outboxMaxAttempts: number;
  /**
   * Worker threads this instance reads attachments' text with (PDF, Word, Excel…); 0 leaves it to
   * other instances.
   */
  attachmentTextWorkers: number;
  /** Null only when PostgreSQL is used and no secret was given; commands that sign refuse then. */
  secret: string | null;
  logLevel: string;
  logFormat: LogFormat;
}>;

export class ConfigError extends Error {}

/** Where the process runs: log lines are for a person only when standard output is a terminal. */
export interface Terminal {
  stdoutIsTTY: boolean;
}

/**
 * Reads and validates the environment once. Fails with every problem listed, one per line, so a
 * person fixing a deployment sees them all at once.
 */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  terminal: Terminal = { stdoutIsTTY: process.stdout.isTTY === true },
): Config {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined),
  );
  const parsed = environmentSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid configuration: ${lines.join('; ')}`);
  }
  const values = parsed.data;
  const dataDir = path.resolve(values.DOCKET_DATA_DIR);
  const databaseUrl = values.DATABASE_URL ?? null;
  const secret = values.DOCKET_SECRET ?? (databaseUrl ? null : embeddedSecret(dataDir));
  return Object.freeze({
    databaseUrl,
    dataDir,
    mailDomain: values.MAIL_DOMAIN.toLowerCase(),
    smtp: Object.freeze({
      host: values.SMTP_HOST,
      port: values.SMTP_PORT,
      lmtp: values.SMTP_LMTP,
      maxRecipients: values.SMTP_MAX_RECIPIENTS,
      maxConnections: values.SMTP_MAX_CONNECTIONS,
    }),
    http: Object.freeze({
      host: values.HTTP_HOST,
      port: values.HTTP_PORT,
      publicUrl: values.PUBLIC_URL?.replace(/\/+$/, '') ?? null,
      trustProxy: values.TRUST_PROXY,
    }),
    maxMessageBytes: values.MAX_MESSAGE_BYTES,
    blobStore: values.BLOB_STORE,
    blobInlineMaxBytes: values.BLOB_INLINE_MAX_BYTES ?? (databaseUrl ? 64 * 1024 : 0),
    scheduler: values.SCHEDULER,
    filingWorkers: values.FILING_WORKERS ?? availableParallelism(),
    relayUrl: values.SMTP_RELAY_URL ?? null,
    outboxMaxAttempts: values.OUTBOX_MAX_ATTEMPTS,
    attachmentTextWorkers: values.ATTACHMENT_TEXT_WORKERS,
    secret,
    logLevel: values.LOG_LEVEL,
    // A log collector reading a pipe or a file wants JSON; a person at a terminal wants lines.
    logFormat: values.LOG_FORMAT ?? (terminal.stdoutIsTTY ? 'pretty' : 'json'),
  });
}

/** The embedded deployment keeps its own secret beside its data, made once on first start. */
function embeddedSecret(dataDir: string): string {
  const file = path.join(dataDir, 'secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  return secret;
}
