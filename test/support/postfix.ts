import { execFile } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './docket-cli.js';
import { findProgram } from './programs.js';

const run = promisify(execFile);

export interface PrivatePostfixOptions {
  /** The domain Postfix hands to Docket (relay_domains and its transport). */
  relayDomain: string;
  /** Where Docket listens for LMTP, on 127.0.0.1. */
  lmtpPort: number;
  /** Other domains, each delivered by SMTP to a server on 127.0.0.1 at this port. */
  smtpRoutes: Record<string, number>;
}

/** A message in Postfix's queue, as `postqueue -j` describes it. */
export interface QueuedMessage {
  queue_name: string;
  queue_id: string;
  sender: string;
  recipients: { address: string; delay_reason?: string }[];
}

/**
 * The lines the README's "Running behind Postfix" shows, for a domain and Docket's LMTP port:
 * main.cf settings and the two lookup tables. The test instance runs these, with its timers
 * (address_verify_negative_refresh_time among them) shortened to seconds.
 */
function docketPostfixSettings(relayDomain: string, lmtpPort: number) {
  return {
    main: {
      relay_domains: relayDomain,
      transport_maps: 'hash:${config_directory}/transport',
      smtpd_recipient_restrictions:
        'check_recipient_access hash:${config_directory}/docket_recipients',
      unverified_recipient_reject_code: '550',
      address_verify_negative_refresh_time: '5m',
    },
    transport: `${relayDomain}   lmtp:inet:127.0.0.1:${lmtpPort}`,
    docketRecipients: `${relayDomain}   reject_unverified_recipient`,
  };
}

/**
 * A Postfix instance of its own, started from Debian's package with a configuration directory,
 * queue and log in a temporary folder: two SMTP listeners on free loopback ports, one as the
 * README sets Postfix up (recipients verified with Docket before they are accepted) and one
 * without verification (Postfix accepts, then bounces what Docket refuses). Needs root: Postfix's
 * master process starts only as root and runs its daemons as the `postfix` user.
 */
export class PrivatePostfix {
  private constructor(
    readonly dir: string,
    /** The listener set up as the README says. */
    readonly smtpPort: number,
    /** The listener without recipient verification: Postfix accepts, then bounces. */
    readonly acceptFirstPort: number,
  ) {}

  private get configDir(): string {
    return path.join(this.dir, 'config');
  }

  private get queueDir(): string {
    return path.join(this.dir, 'queue');
  }

  get maillogPath(): string {
    return path.join(this.dir, 'maillog');
  }

  static async start(options: PrivatePostfixOptions): Promise<PrivatePostfix> {
    const dir = mkdtempSync(path.join(tmpdir(), 'docket-postfix-'));
    // Postfix's daemons run as the postfix user and must reach the queue and log inside.
    chmodSync(dir, 0o755);
    const postfix = new PrivatePostfix(dir, await freePort(), await freePort());
    await postfix.writeConfig(options);
    try {
      await postfix.command('postfix', 'start');
      await postfix.waitForListener();
    } catch (error) {
      await postfix.stop().catch(() => undefined);
      throw new Error(`Postfix did not start:\n${postfix.maillog()}`, { cause: error });
    }
    return postfix;
  }

  private async writeConfig(options: PrivatePostfixOptions): Promise<void> {
    const config = this.configDir;
    const data = path.join(this.dir, 'data');
    for (const folder of [config, this.queueDir, data]) mkdirSync(folder);
    // The verification cache lives here, written by the postfix user.
    await run('chown', ['postfix', data]);

    const docket = docketPostfixSettings(options.relayDomain, options.lmtpPort);
    const main: Record<string, string> = {
      compatibility_level: '3.6',
      ...docket.main,
      // A private instance: its own directories and log, loopback only, nothing local.
      queue_directory: this.queueDir,
      data_directory: data,
      mail_owner: 'postfix',
      setgid_group: 'postdrop',
      maillog_file: this.maillogPath,
      maillog_file_prefixes: this.dir,
      myhostname: 'mx.docket.test',
      inet_interfaces: '127.0.0.1',
      inet_protocols: 'ipv4',
      mydestination: '',
      local_recipient_maps: '',
      alias_maps: '',
      smtp_dns_support_level: 'disabled',
      // Retries and fresh verification within seconds instead of minutes, so the test sees them.
      queue_run_delay: '1s',
      minimal_backoff_time: '1s',
      maximal_backoff_time: '2s',
      address_verify_poll_delay: '1s',
      address_verify_negative_refresh_time: '2s',
    };
    writeFileSync(
      path.join(config, 'main.cf'),
      Object.entries(main)
        .map(([name, value]) => `${name} = ${value}\n`)
        .join(''),
    );

    const transport = [
      docket.transport,
      ...Object.entries(options.smtpRoutes).map(
        ([domain, port]) => `${domain}   smtp:[127.0.0.1]:${port}`,
      ),
    ];
    writeFileSync(path.join(config, 'transport'), `${transport.join('\n')}\n`);
    writeFileSync(path.join(config, 'docket_recipients'), `${docket.docketRecipients}\n`);
    await this.command('postmap', `hash:${path.join(config, 'transport')}`);
    await this.command('postmap', `hash:${path.join(config, 'docket_recipients')}`);

    // Debian's master.cf, trimmed to what this instance uses, with no chroot (the temporary
    // folder holds none of the files a chroot needs).
    writeFileSync(
      path.join(config, 'master.cf'),
      [
        `127.0.0.1:${this.smtpPort} inet n - n - - smtpd`,
        `127.0.0.1:${this.acceptFirstPort} inet n - n - - smtpd -o smtpd_recipient_restrictions=`,
        'pickup    unix  n - n 60 1 pickup',
        'cleanup   unix  n - n -  0 cleanup',
        'qmgr      unix  n - n 300 1 qmgr',
        'rewrite   unix  - - n -  - trivial-rewrite',
        'bounce    unix  - - n -  0 bounce',
        'defer     unix  - - n -  0 bounce',
        'trace     unix  - - n -  0 bounce',
        'verify    unix  - - n -  1 verify',
        'flush     unix  n - n 1000? 0 flush',
        'proxymap  unix  - - n -  - proxymap',
        'smtp      unix  - - n -  - smtp',
        'lmtp      unix  - - n -  - lmtp',
        'showq     unix  n - n -  - showq',
        'error     unix  - - n -  - error',
        'retry     unix  - - n -  - error',
        'discard   unix  - - n -  - discard',
        'anvil     unix  - - n -  1 anvil',
        'scache    unix  - - n -  1 scache',
        'postlog   unix-dgram n - n - 1 postlogd',
        '',
      ].join('\n'),
    );
  }

  /** Runs one of Postfix's commands (postfix, postqueue, postmap) on this instance. */
  private async command(name: string, ...args: string[]): Promise<string> {
    const program = findProgram(name);
    if (program === null) throw new Error(`${name} not found`);
    const { stdout } = await run(program, ['-c', this.configDir, ...args]);
    return stdout;
  }

  private async waitForListener(): Promise<void> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const open = await new Promise<boolean>((resolve) => {
        const socket = connect(this.smtpPort, '127.0.0.1');
        socket.once('connect', () => {
          socket.destroy();
          resolve(true);
        });
        socket.once('error', () => resolve(false));
      });
      if (open) return;
      if (Date.now() > deadline) throw new Error('Postfix never listened');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** What Postfix logged so far: each delivery, deferral and bounce with its reason. */
  maillog(): string {
    return existsSync(this.maillogPath) ? readFileSync(this.maillogPath, 'utf8') : '';
  }

  /** The messages Postfix holds. */
  async queue(): Promise<QueuedMessage[]> {
    const out = await this.command('postqueue', '-j');
    return out
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as QueuedMessage);
  }

  /** Asks Postfix to try every queued message now, as `postqueue -f` does. */
  async flush(): Promise<void> {
    await this.command('postqueue', '-f');
  }

  /** Stops Postfix, waits for its master process to end, and removes the folder. */
  async stop(): Promise<void> {
    const pidFile = path.join(this.queueDir, 'pid', 'master.pid');
    const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) : 0;
    await this.command('postfix', 'stop').catch(() => undefined);
    const deadline = Date.now() + 15_000;
    while (pid > 0 && isRunning(pid) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (pid > 0 && isRunning(pid)) await this.command('postfix', 'abort').catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
