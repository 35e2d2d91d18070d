import path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { runRemoteCommand } from './cli/control-socket.js';
import { terminalIo } from './cli/local-io.js';
import { runCommand, type CommandInput, type CommandName } from './cli/commands/registry.js';
import type { ProjectSetInput } from './cli/commands/project-set.js';
import { parseNow } from './cli/commands/jobs.js';
import { loadConfig, type Config } from './config.js';
import { controlSocketPath, dataDirOwner } from './db/data-dir-lock.js';
import { FilingQueue } from './ingest/filing-queue.js';
import { createLogger } from './log.js';
import { openStorage, startService } from './main.js';
import { VERSION } from './version.js';

/**
 * Runs a command against the database: inside the running `docket serve` when it holds the
 * embedded database, else by opening the database here.
 */
async function dispatch<N extends CommandName>(name: N, input: CommandInput<N>): Promise<void> {
  const config = loadConfig();
  if (!config.databaseUrl && dataDirOwner(config.dataDir) !== null) {
    await runRemoteCommand(controlSocketPath(config.dataDir), name, input, terminalIo);
    return;
  }
  await withLocalStorage(config, (context) =>
    runCommand(name, { ...context, io: terminalIo }, input),
  );
}

async function withLocalStorage(
  config: Config,
  work: (context: {
    db: Awaited<ReturnType<typeof openStorage>>['db'];
    blobs: Awaited<ReturnType<typeof openStorage>>['blobs'];
    config: Config;
    filing: FilingQueue;
  }) => Promise<void>,
): Promise<void> {
  const log = createLogger(process.env.LOG_LEVEL ?? 'warn', process.stderr);
  const { db, blobs, lock } = await openStorage(config);
  const filing = new FilingQueue({ db, blobs, mailDomain: config.mailDomain }, log, {
    parsers: config.filingWorkers,
  });
  try {
    await work({ db, blobs, config, filing });
  } finally {
    await filing.stop();
    await db.destroy();
    lock?.release();
  }
}

const program = new Command()
  .name('docket')
  .description("Turns a construction project's email into tracked records.")
  .version(VERSION)
  // Usage mistakes read like every other error: one line, prefixed, non-zero exit.
  .configureOutput({
    outputError: (text, write) => write(`docket: ${text.replace(/^error: /, '')}`),
  });

program
  .command('serve')
  .description('run the SMTP inbox, the web server and the scheduler')
  .action(async () => {
    const config = loadConfig();
    const log = createLogger(config.logLevel, undefined, config.logFormat);
    const service = await startService(config, log);
    let stopping = false;
    const shutdown = (signal: string) => {
      if (stopping) return;
      stopping = true;
      log.info({ category: 'service', signal }, 'stopping');
      service.stop().then(
        () => process.exit(0),
        (error: unknown) => {
          log.error({ err: error }, 'unclean stop');
          process.exit(1);
        },
      );
    };
    process.on('SIGTERM', () => shutdown('SIGTERM'));
    process.on('SIGINT', () => shutdown('SIGINT'));
  });

program
  .command('migrate')
  .description('apply pending database migrations')
  .action(async () => {
    const config = loadConfig();
    if (!config.databaseUrl && dataDirOwner(config.dataDir) !== null) {
      terminalIo.out('The running docket server applied all migrations when it started.');
      return;
    }
    await withLocalStorage(config, () => {
      terminalIo.out('Database is up to date.');
      return Promise.resolve();
    });
  });

const project = program.command('project').description('manage projects');
project
  .command('create <code>')
  .description('create a project and print its inbox address')
  .requiredOption('--name <name>', 'the project name')
  .option('--timezone <tz>', 'IANA time zone, e.g. Europe/London', 'UTC')
  .addOption(
    new Option('--sender-policy <policy>', 'who may mail the inbox')
      .choices(['anyone', 'members'])
      .default('anyone'),
  )
  .action(
    (
      code: string,
      options: { name: string; timezone: string; senderPolicy: 'anyone' | 'members' },
    ) =>
      dispatch('project create', {
        code,
        name: options.name,
        timezone: options.timezone,
        senderPolicy: options.senderPolicy,
      }),
  );

const integer = (value: string): number => {
  const number = Number(value);
  if (!Number.isInteger(number)) throw new InvalidArgumentError('must be a whole number');
  return number;
};
const onOff = (value: string): boolean => {
  if (/^(on|yes|true)$/i.test(value)) return true;
  if (/^(off|no|false)$/i.test(value)) return false;
  throw new InvalidArgumentError('must be on or off');
};
const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

project
  .command('set <code>')
  .description("change a project's settings")
  .option('--name <name>', 'the project name')
  .option('--timezone <tz>', 'IANA time zone, e.g. Europe/London')
  .addOption(
    new Option('--sender-policy <policy>', 'who may mail the inbox').choices(['anyone', 'members']),
  )
  .option('--working-days <days>', 'worked weekdays, e.g. mon-fri or mon-sat')
  .option(
    '--holidays <dates>',
    'comma-separated YYYY-MM-DD local dates (replaces the list; "" clears it)',
  )
  .option('--review-days <n>', 'working days for each review step', integer)
  .option('--rfi-days <n>', 'working days to answer an RFI', integer)
  .option('--ack-days <n>', 'working days to acknowledge a transmittal', integer)
  .option(
    '--require-dmarc <on|off>',
    'count email decisions only with DMARC pass or aligned DKIM',
    onOff,
  )
  .option('--rfi-manager <email>', 'who holds the ball for new RFIs')
  .option('--alias <ALIAS=CODE>', 'add a response alias (repeatable; ALIAS= removes it)', collect)
  .action((code: string, options: Omit<ProjectSetInput, 'code'>) =>
    dispatch('project set', { code, ...options }),
  );

const workflow = program.command('workflow').description('manage submittal review workflows');
workflow
  .command('add <code> <name>')
  .description('save a review workflow (steps in order, reviewers in a step in parallel)')
  .requiredOption('--steps <reviewers>', 'e.g. "architect@x.com, engineer@y.com; owner@z.com"')
  .option(
    '--spec <prefix>',
    'spec division or section it serves, e.g. 03 or "03 30 00" (default: all)',
  )
  .action((code: string, name: string, options: { steps: string; spec?: string }) =>
    dispatch('workflow add', {
      code,
      name,
      steps: options.steps,
      ...(options.spec ? { spec: options.spec } : {}),
    }),
  );
workflow
  .command('list <code>')
  .description("list a project's workflows")
  .option('--json', 'print JSON')
  .action((code: string, options: { json?: boolean }) =>
    dispatch('workflow list', { code, ...(options.json ? { json: true } : {}) }),
  );

program
  .command('submittals <code>')
  .description("the project's submittal register")
  .option('--json', 'print JSON')
  .action((code: string, options: { json?: boolean }) =>
    dispatch('submittals', { code, ...(options.json ? { json: true } : {}) }),
  );

program
  .command('transmittals <code>')
  .description("the project's transmittal log, with each recipient's acknowledgement")
  .option('--json', 'print JSON')
  .action((code: string, options: { json?: boolean }) =>
    dispatch('transmittals', { code, ...(options.json ? { json: true } : {}) }),
  );

program
  .command('items <code>')
  .description("the project's RFIs and other correspondence items, overdue ones flagged")
  .option('--json', 'print JSON')
  .option('--type <type>', 'only one type: RFI, NOT, COR, LTR or GEN')
  .action((code: string, options: { json?: boolean; type?: string }) =>
    dispatch('items', {
      code,
      ...(options.json ? { json: true } : {}),
      ...(options.type ? { type: options.type } : {}),
    }),
  );

const item = program.command('item').description('act on one correspondence item');
item
  .command('close <code> <number>')
  .description('close an item, e.g. RFI-007, answered or not')
  .action((code: string, number: string) => dispatch('item close', { code, number }));

program
  .command('outbox <code>')
  .description("the project's outbound mail, newest first (captured when no relay is configured)")
  .option('--json', 'print JSON')
  .option('--limit <n>', 'how many messages', integer, 20)
  .action((code: string, options: { json?: boolean; limit: number }) =>
    dispatch('outbox', { code, limit: options.limit, ...(options.json ? { json: true } : {}) }),
  );

const member = program.command('member').description('manage project members');
member
  .command('add <code> <email>')
  .description('add a person to a project (or change their name or role)')
  .option('--name <name>', 'their name')
  .addOption(
    new Option('--role <role>', 'their role')
      .choices(['manager', 'reviewer', 'member'])
      .default('member'),
  )
  .action(
    (
      code: string,
      email: string,
      options: { name?: string; role: 'manager' | 'reviewer' | 'member' },
    ) =>
      dispatch('member add', {
        code,
        email,
        role: options.role,
        ...(options.name ? { name: options.name } : {}),
      }),
  );

program
  .command('import <code> <source>')
  .description('import an mbox file or a folder of .eml files into a project')
  .action((code: string, source: string) =>
    dispatch('import', { code, source: path.resolve(source) }),
  );

program
  .command('reindex <code>')
  .description(
    "read the text of a project's attachments filed before, or whose reading did not finish",
  )
  .action((code: string) => dispatch('reindex', { code }));

program
  .command('threads <code>')
  .description("list a project's threads with their messages, newest first")
  .option('--json', 'print JSON')
  .option('--limit <n>', 'how many threads', (value) => Number.parseInt(value, 10), 50)
  .action((code: string, options: { json?: boolean; limit: number }) =>
    dispatch('threads', { code, limit: options.limit, ...(options.json ? { json: true } : {}) }),
  );

program
  .command('login-link <email>')
  .description(
    'print a one-use, 15-minute web login link (creates the user; the first is an administrator)',
  )
  .action((email: string) => dispatch('login-link', { email }));

const token = program.command('token').description('manage API tokens for /api');
token
  .command('create <email>')
  .description('print a new API token that acts as this person (shown once)')
  .option('--name <label>', 'what the token is for, e.g. "scheduling sync"')
  .action((email: string, options: { name?: string }) =>
    dispatch('token create', { email, ...(options.name ? { name: options.name } : {}) }),
  );
token
  .command('list <email>')
  .description("list a person's API tokens")
  .action((email: string) => dispatch('token list', { email }));
token
  .command('revoke <id-or-prefix>')
  .description('revoke an API token by its id or prefix (dkt_…)')
  .action((reference: string) => dispatch('token revoke', { token: reference }));

member
  .command('pause <code> <email>')
  .description("pause a member's reminders (e.g. after an out-of-office reply)")
  .option('--until <date>', 'last paused local date, YYYY-MM-DD (default: until resumed)')
  .action((code: string, email: string, options: { until?: string }) =>
    dispatch('member pause', { code, email, ...(options.until ? { until: options.until } : {}) }),
  );
member
  .command('resume <code> <email>')
  .description("resume a paused member's reminders")
  .action((code: string, email: string) => dispatch('member resume', { code, email }));

project
  .command('reminders <code>')
  .description("set when a project's reminders go out and when overdue items escalate")
  .option('--digest-time <HH:MM>', 'local time of the daily digest and escalations (default 07:00)')
  .option(
    '--escalate-after <n>',
    'working days overdue before managers are told (default 3)',
    integer,
  )
  .option(
    '--escalate-admin-after <n>',
    'working days overdue before administrators are told (default 10)',
    integer,
  )
  .action(
    (
      code: string,
      options: { digestTime?: string; escalateAfter?: number; escalateAdminAfter?: number },
    ) =>
      dispatch('project reminders', {
        code,
        ...(options.digestTime ? { digestTime: options.digestTime } : {}),
        ...(options.escalateAfter !== undefined
          ? { escalateAfterDays: options.escalateAfter }
          : {}),
        ...(options.escalateAdminAfter !== undefined
          ? { escalateAdminAfterDays: options.escalateAdminAfter }
          : {}),
      }),
  );

const jobs = program.command('jobs').description('scheduled jobs: reminders and outbox delivery');
jobs
  .command('list')
  .description('the jobs docket serve runs, and when')
  .action(() => dispatch('jobs list', {}));
jobs
  .command('run <job>')
  .description('run one job once: digest, escalation, sessions or outbox')
  .option('--now <time>', "run as if at this ISO date-time (this machine's zone unless given)")
  .option('--dry-run', 'print what would be sent, write nothing')
  .action((job: string, options: { now?: string; dryRun?: boolean }) =>
    dispatch('jobs run', {
      job,
      ...(options.now ? { now: parseNow(options.now).toISOString() } : {}),
      ...(options.dryRun ? { dryRun: true } : {}),
    }),
  );

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`docket: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
