import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createBenchEnvironment, type DatabaseKind } from './bench-service.js';
import type { ProbeInput, ProbeOutput } from './memory-probe.js';
import type { BenchOptions } from './options.js';

export interface MemoryResult extends ProbeOutput {
  kind: DatabaseKind;
  messageBytes: number;
}

/**
 * A message with one attachment of `attachmentBytes` random (incompressible) bytes, base64 in
 * 76-character lines, written with LF line ends (smtp-source -F sends each line with CRLF).
 */
function writeBigMessage(file: string, attachmentBytes: number): number {
  const base64 = randomBytes(attachmentBytes).toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < base64.length; i += 76) lines.push(base64.slice(i, i + 76));
  const text = [
    'From: Priya Patel <priya@steelfab.example>',
    'To: twr-a@docket.localhost',
    'Subject: Full shop drawing set, stair 2',
    `Message-ID: <big-${randomBytes(6).toString('hex')}@steelfab.example>`,
    'Date: Fri, 27 Nov 2026 09:00:00 +0000',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'The full set is attached.',
    '',
    '--b1',
    'Content-Type: application/pdf; name="stair-2-full-set.pdf"',
    'Content-Disposition: attachment; filename="stair-2-full-set.pdf"',
    'Content-Transfer-Encoding: base64',
    '',
    ...lines,
    '--b1--',
    '',
  ].join('\n');
  writeFileSync(file, text);
  // Size on the wire: every LF becomes CRLF.
  return Buffer.byteLength(text) + text.split('\n').length - 1;
}

/** Runs memory-probe.js in a child process and reads its one JSON line. */
function runProbe(input: ProbeInput): Promise<ProbeOutput> {
  const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'memory-probe.js');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', script], {
      env: { ...process.env, BENCH_PROBE: JSON.stringify(input) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => (stdout += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 600_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const line = stdout.trim().split('\n').pop() ?? '';
      if (code !== 0 || !line.startsWith('{'))
        reject(new Error(`memory probe exited ${code}: ${stdout}`));
      else resolve(JSON.parse(line) as ProbeOutput);
    });
  });
}

export async function measureMemory(
  options: BenchOptions,
  kind: DatabaseKind,
): Promise<MemoryResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'docket-bench-msg-'));
  const environment = await createBenchEnvironment(kind, options.postgresUrl, options.docketEnv);
  try {
    const file = path.join(dir, 'big.eml');
    const messageBytes = writeBigMessage(file, options.attachmentBytes);
    const output = await runProbe({ env: environment.env, file, smtpSource: options.smtpSource });
    return { kind, messageBytes, ...output };
  } finally {
    await environment.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
}
