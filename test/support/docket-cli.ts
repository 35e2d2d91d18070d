import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { SmtpTestClient } from './smtp-client.js';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const docketBin = path.join(repoRoot, 'bin', 'docket.js');

/** Compiles the CLI the way `npm run build` does, so tests run what a user runs. */
export async function buildCli(): Promise<void> {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  try {
    await promisify(execFile)(process.execPath, [tsc, '-p', 'tsconfig.build.json'], {
      cwd: repoRoot,
    });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`npm run build failed:\n${stdout ?? ''}${stderr ?? ''}`, { cause: error });
  }
}

export interface DocketResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * The environment `docket` runs with in a test: only what it needs, so a DATABASE_URL or
 * DOCKET_DATA_DIR of the shell running the tests cannot leak in.
 */
export function docketEnv(settings: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TMPDIR: process.env.TMPDIR,
    LANG: 'C.UTF-8',
    ...settings,
  };
}

/** Runs `node bin/docket.js <args>` to completion and collects what it printed. */
export async function runDocket(
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 60_000,
): Promise<DocketResult> {
  const child = spawn(process.execPath, [docketBin, ...args], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = collect(child);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  try {
    const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
    await output.closed;
    return { code, signal, stdout: output.stdout(), stderr: output.stderr() };
  } finally {
    clearTimeout(timer);
  }
}

/** A port nobody listens on right now, for a child process to bind. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface ServeProcess {
  child: ChildProcess;
  smtpPort: number;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first JSON log line whose `msg` is `message` (and that `where` accepts). */
  waitForLog(
    message: string,
    where?: (entry: Record<string, unknown>) => boolean,
  ): Promise<Record<string, unknown>>;
  /** Resolves once the process has exited, with its exit code and signal. */
  exited: Promise<[number | null, NodeJS.Signals | null]>;
}

/**
 * Starts `docket serve` on free loopback ports and waits until its SMTP inbox greets. Rejects
 * with the process's output when it exits first. `smtpPort` pins the inbox's port, for a server
 * restarted where a mail relay already delivers.
 */
export async function startServe(
  env: NodeJS.ProcessEnv,
  timeoutMs = 60_000,
  { smtpPort = 0 }: { smtpPort?: number } = {},
): Promise<ServeProcess> {
  if (smtpPort === 0) smtpPort = await freePort();
  const httpPort = await freePort();
  const child = spawn(process.execPath, [docketBin, 'serve'], {
    cwd: repoRoot,
    env: {
      ...env,
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(smtpPort),
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: String(httpPort),
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = collect(child);
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  let hasExited = false;
  void exited.then(() => (hasExited = true));

  const serve: ServeProcess = {
    child,
    smtpPort,
    stdout: output.stdout,
    stderr: output.stderr,
    exited,
    async waitForLog(message, where = () => true) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const line = output
          .stdout()
          .split('\n')
          .flatMap((text) => {
            try {
              return [JSON.parse(text) as Record<string, unknown>];
            } catch {
              return [];
            }
          })
          .find((entry) => entry.msg === message && where(entry));
        if (line) return line;
        if (hasExited || Date.now() > deadline) {
          throw new Error(
            `docket serve never logged "${message}":\n${output.stdout()}${output.stderr()}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
  };

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const client = await SmtpTestClient.connect(smtpPort);
      await client.quit();
      return serve;
    } catch (error) {
      if (hasExited || Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`docket serve did not start:\n${output.stdout()}${output.stderr()}`, {
          cause: error,
        });
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

function collect(child: ChildProcess) {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const closed = Promise.all([
    child.stdout ? once(child.stdout, 'close') : null,
    child.stderr ? once(child.stderr, 'close') : null,
  ]);
  return { stdout: () => stdout, stderr: () => stderr, closed };
}
