import { spawn } from 'node:child_process';

export interface SmtpSourceRun {
  /** Parallel sessions (`-s`). */
  sessions: number;
  /** Messages in all (`-m`). */
  count: number;
  /** Generated body bytes (`-l`); smtp-source adds From, To, Date and a unique Message-Id. */
  bodyBytes?: number;
  /** A pre-formatted message to send instead (`-F`), the same bytes every time. */
  file?: string;
  port: number;
  to: string;
  /** Give up (and kill the client) after this long. */
  timeoutMs: number;
}

export interface SmtpSourceResult {
  seconds: number;
  exitCode: number | null;
  stderr: string;
}

/**
 * Runs Postfix's `smtp-source` against 127.0.0.1 with connections reused (`-d`: each session sends
 * its share of the messages over one connection, so smtp-server's 100 ms greeting delay is paid
 * once per session, not per message). Times the whole client run, connect to last `250`.
 */
export function runSmtpSource(binary: string, run: SmtpSourceRun): Promise<SmtpSourceResult> {
  const args = [
    '-d',
    '-s',
    String(run.sessions),
    '-m',
    String(run.count),
    '-f',
    'bench@client.example',
    '-t',
    run.to,
  ];
  if (run.file) args.push('-F', run.file);
  else args.push('-l', String(run.bodyBytes ?? 1024));
  args.push(`127.0.0.1:${run.port}`);

  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      if (stderr.length < 4096) stderr += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), run.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      resolve({ seconds, exitCode, stderr: stderr.trim() });
    });
  });
}
