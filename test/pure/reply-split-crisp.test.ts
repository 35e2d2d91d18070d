import { readdirSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { CRISP_DIR, CRISP_GOLD, linesOf } from '../../bench/reply-corpus-gold.js';
import { sameText } from '../../bench/reply-gold.js';
import { splitReply } from '../../src/mail/reply-split.js';
import { corpusPath, corpusPresent } from '../support/corpus.js';
import { needsCorpus } from '../support/external-suites.js';
import { corpus, readCorpus } from './crude-mime.js';

/**
 * The crisp-oss/email-reply-parser fixtures (90 reply bodies, ten languages). Upstream keeps its
 * expectations in code, not files; ours (bench/reply-corpus-gold.ts) name the lines of each body
 * that make the new text, under Docket's conventions (fixtures/reply-trimming/README.md).
 */
const files = corpusPresent
  ? readdirSync(new URL(CRISP_DIR, corpus))
      .filter((f) => f.endsWith('.txt'))
      .map((f) => f.slice(0, -4))
      .sort()
  : [];
const read = (name: string): string => readCorpus(`${CRISP_DIR}/${name}.txt`);
const expected = (name: string): string => linesOf(read(name), CRISP_GOLD[name] ?? 'all');

/** Non-blank lines, trimmed and sorted: what "nothing of substance lost" compares. */
function substance(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .sort();
}

describe(`splitReply — crisp-oss corpus in ${corpusPath}`, needsCorpus, () => {
  it('covers every fixture with an expectation', () => {
    expect(files).toHaveLength(90);
    expect(Object.keys(CRISP_GOLD).sort()).toEqual(files);
  });

  it('matches at least 95% of the expected replies exactly', () => {
    const matched = files.filter((name) => sameText(splitReply(read(name)).reply, expected(name)));
    expect(matched.length / files.length).toBeGreaterThanOrEqual(0.95);
  });

  it.each(files)('%s', (name) => {
    expect(splitReply(read(name)).reply).toBe(expected(name).trim());
  });

  it.each(files)('%s: reply + elided keep every line', (name) => {
    const text = read(name);
    const split = splitReply(text);
    expect(substance(`${split.reply}\n${split.elided}`)).toEqual(substance(text));
  });

  it.each([
    ['email_german_outlook', 'original message: "-----Ursprüngliche Nachricht-----"'],
    ['email_russian', 'quote header: "ср, 30 апр. 2025 г. в 15:19, John Doe <doe@example.com>:"'],
    ['email_23', 'quote header: "2017-11-24 16:32 GMT+01:00 Baptiste - Crisp'],
    ['email_15', 'device signature: "Sent from my Wiko RIDGE FAB 4G"'],
    [
      'email_2',
      'inline reply: answers between quoted lines kept; quote header: "On Tue, 2011-03-01',
    ],
    ['email_emoji', 'signature: "—"'],
    ['email_tricky_16_unicode_signatures', 'signature under a rule: "Sarah Johnson"'],
  ])('%s is cut for the right reason', (name, reason) => {
    expect(splitReply(read(name)).reasons[0]?.startsWith(reason)).toBe(true);
  });
});
