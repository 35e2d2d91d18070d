/**
 * Benchmark options, all from the environment so `npm run bench:ingest` needs no arguments.
 * `BENCH_QUICK=1` shrinks every count for a smoke run of well under a minute.
 */
export interface BenchOptions {
  quick: boolean;
  /** Which sections run: any of acceptance, filing, memory, import. */
  sections: Set<string>;
  /** Which databases Docket runs on: any of postgresql, embedded. */
  databases: ('postgresql' | 'embedded')[];
  /** An admin URL on 127.0.0.1; each run creates its own database under it and drops it. */
  postgresUrl: string;
  /** Message sizes (body bytes, as `smtp-source -l`) and connection counts for acceptance. */
  sizes: number[];
  connections: number[];
  /** Roughly how long each measured acceptance run lasts; its message count is sized from a warm-up. */
  seconds: number;
  /** Measured acceptance runs per cell; the median is reported. */
  repeats: number;
  /** Messages in the filing burst. */
  filingCount: number;
  /** Messages in the mbox that `docket import` reads. */
  importCount: number;
  /** Size of the attachment in the memory probe. */
  attachmentBytes: number;
  smtpSource: string;
  /** Extra Docket settings for every service started, e.g. `BLOB_STORE=database` (BENCH_DOCKET_ENV). */
  docketEnv: Record<string, string>;
}

const list = (value: string | undefined, fallback: string): string[] =>
  (value ?? fallback)
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);

const number = (value: string | undefined, fallback: number): number => {
  const parsed = Number(value);
  return value !== undefined && value !== '' && Number.isFinite(parsed) && parsed > 0
    ? parsed
    : fallback;
};

export function readOptions(env: NodeJS.ProcessEnv = process.env): BenchOptions {
  const quick = env.BENCH_QUICK === '1' || env.BENCH_QUICK === 'true';
  const postgresUrl = env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const host = new URL(postgresUrl).hostname;
  if (host !== '127.0.0.1' && host !== 'localhost') {
    throw new Error(`BENCH_DATABASE_URL must point at 127.0.0.1, not ${host}`);
  }
  return {
    quick,
    sections: new Set(list(env.BENCH_ONLY, 'acceptance,filing,memory,import')),
    databases: list(env.BENCH_DATABASES, 'postgresql,embedded').filter(
      (name): name is 'postgresql' | 'embedded' => name === 'postgresql' || name === 'embedded',
    ),
    postgresUrl,
    sizes: list(env.BENCH_SIZES, '20480,204800').map(Number),
    connections: list(env.BENCH_CONNECTIONS, '1,10').map(Number),
    seconds: number(env.BENCH_SECONDS, quick ? 1 : 3),
    repeats: number(env.BENCH_REPEATS, quick ? 1 : 3),
    filingCount: number(env.BENCH_FILING_COUNT, quick ? 500 : 10_000),
    importCount: number(env.BENCH_IMPORT_COUNT, quick ? 2_000 : 100_000),
    attachmentBytes: number(env.BENCH_ATTACHMENT_BYTES, quick ? 5 * 1024 * 1024 : 25 * 1024 * 1024),
    smtpSource: env.BENCH_SMTP_SOURCE ?? '/usr/sbin/smtp-source',
    docketEnv: Object.fromEntries(
      list(env.BENCH_DOCKET_ENV, '').map((pair) => [
        pair.slice(0, pair.indexOf('=')),
        pair.slice(pair.indexOf('=') + 1),
      ]),
    ),
  };
}
