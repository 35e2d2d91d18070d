/**
 * `npm run bench:trimming`: how often the new text Docket cuts from a reply equals the expected
 * one (fixtures/reply-trimming and, when ../shared/corpus is there, the crisp and talon samples),
 * and how long trimming takes per message, up to a 1 MB quoted history. Prints a table; asserts
 * nothing.
 */
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { parseMail } from '../src/ingest/parse.js';
import { splitReply } from '../src/mail/reply-split.js';
import { packagePath } from '../src/paths.js';
import { loadAverage } from './bench-postgres.js';
import { discardingBlobStore } from './parse-ceiling.js';
import { formatTable, type Row } from './report.js';
import {
  CRISP_DIR,
  CRISP_GOLD,
  linesOf,
  squashed,
  TALON_GOLD,
  type TalonCase,
} from './reply-corpus-gold.js';
import { loadMessageMix } from './message-mix.js';
import { longLines, quotedHistory, quoteMarks } from './reply-inputs.js';
import { percent, readGoldTables, sameText, scoreByGroup, type GroupScore } from './reply-gold.js';

const corpusDir = process.env.BENCH_CORPUS_DIR ?? packagePath('../shared/corpus/');
const corpusPresent = existsSync(corpusDir);
const repeats = Number(process.env.BENCH_TRIM_REPEATS ?? 20);

interface Sample {
  corpus: string;
  group: string;
  id: string;
  text: string | null;
  html: string | null;
  matches: (reply: string) => boolean;
}

function goldSamples(): Sample[] {
  return readGoldTables().map((gold) => ({
    corpus: 'Docket tables',
    group: gold.group,
    id: gold.id,
    text: gold.text,
    html: gold.html,
    matches: (reply) => sameText(reply, gold.reply),
  }));
}

function crispSamples(): Sample[] {
  return Object.entries(CRISP_GOLD).map(([name, span]) => {
    const body = readFileSync(path.join(corpusDir, CRISP_DIR, `${name}.txt`), 'utf8');
    const expected = linesOf(body, span);
    return {
      corpus: 'crisp-oss',
      group: 'crisp-oss',
      id: name,
      text: body,
      html: null,
      matches: (reply) => sameText(reply, expected),
    };
  });
}

async function talonSample(gold: TalonCase): Promise<Sample> {
  const raw = readFileSync(path.join(corpusDir, gold.file));
  let text: string | null = null;
  let html: string | null = null;
  if (gold.file.endsWith('.eml')) {
    const { mail } = await parseMail(Readable.from([raw]), discardingBlobStore);
    if (gold.part === 'text') text = mail.text;
    else html = mail.html;
  } else {
    html = raw.toString('utf8');
  }
  const part = (gold.part === 'text' ? text : html) ?? '';
  const expected = typeof gold.reply === 'string' ? gold.reply : linesOf(part, gold.reply.lines);
  return {
    corpus: 'talon',
    group: 'talon',
    id: `${gold.file} (${gold.part})`,
    text,
    html,
    matches: (reply) =>
      gold.compare === 'squashed'
        ? squashed(reply) === squashed(expected)
        : sameText(reply, expected),
  };
}

/** Mean milliseconds per call of `work` over `count` calls (after one warm-up call). */
function timePerCall(work: () => void, count: number): number {
  work();
  const started = performance.now();
  for (let i = 0; i < count; i++) work();
  return (performance.now() - started) / count;
}

const ms = (value: number) => (value < 1 ? `${value.toFixed(3)} ms` : `${value.toFixed(1)} ms`);
const rateRow = (name: string, score: GroupScore, misses: string[]): Row => ({
  path: `exact match, ${name}`,
  figure: `${percent(score)} (${score.matched}/${score.total})`,
  ceiling: '-',
  ratio: '-',
  target: '>= 95%',
  met: score.total > 0 && score.matched / score.total >= 0.95 ? 'yes' : 'NO',
  notes: misses.length > 0 ? `misses: ${misses.join(', ')}` : '',
});

console.log(
  `Node ${process.version}, ${os.cpus().length} cores, load average ${loadAverage()}; corpus ${
    corpusPresent ? corpusDir : 'absent (only Docket tables)'
  }`,
);

const samples = goldSamples();
if (corpusPresent) {
  samples.push(...crispSamples());
  for (const gold of TALON_GOLD) samples.push(await talonSample(gold));
}

const rows: Row[] = [];
const corpora = [...new Set(samples.map((s) => s.corpus))];
for (const corpus of corpora) {
  const mine = samples.filter((s) => s.corpus === corpus);
  const results = mine.map((s) => ({
    sample: s,
    group: s.group,
    matched: s.matches(splitReply(s.text, s.html).reply),
  }));
  const { groups, overall } = scoreByGroup(results);
  const missesOf = (group?: string) =>
    results.filter((r) => !r.matched && (group === undefined || r.group === group));
  rows.push(rateRow(corpus, overall, groups.length > 1 ? [] : missesOf().map((r) => r.sample.id)));
  if (groups.length > 1) {
    for (const group of groups) {
      rows.push(
        rateRow(
          `${corpus}: ${group.group}`,
          group,
          missesOf(group.group).map((r) => r.sample.id),
        ),
      );
    }
  }
  const perMessage = timePerCall(() => {
    for (const s of mine) splitReply(s.text, s.html);
  }, repeats);
  rows.push({
    path: `time per message, ${corpus}`,
    figure: ms(perMessage / mine.length),
    ceiling: '-',
    ratio: '-',
    target: '-',
    met: '-',
    notes: `${mine.length} messages x ${repeats}`,
  });
}

// Real mail with no expected text: the SpamAssassin corpus (list traffic, replies, forwards,
// HTML), parsed first, then only the trimming is timed.
const mix = loadMessageMix(Number(process.env.BENCH_TRIM_MIX ?? 2000));
const parts: { text: string | null; html: string | null }[] = [];
for (const raw of mix) {
  const { mail } = await parseMail(Readable.from([raw]), discardingBlobStore);
  parts.push({ text: mail.text, html: mail.html });
}
const mixTime = timePerCall(() => {
  for (const part of parts) splitReply(part.text, part.html);
}, 3);
rows.push({
  path: 'time per message, SpamAssassin mix (no expected text)',
  figure: ms(mixTime / parts.length),
  ceiling: '-',
  ratio: '-',
  target: '-',
  met: '-',
  notes: `${parts.length} messages x 3`,
});

const large: [string, string, number][] = [
  ['1 MB quoted history (12 levels, a quote header per message)', quotedHistory(1024 * 1024), 100],
  ['20,000 lines of ">" marks', quoteMarks(20_000), 100],
  ['10 lines of 100 KB that start like quote headers', longLines(10, 100_000), 100],
  ['2,000 lines of 500 characters that start like quote headers', longLines(2_000, 500), 100],
];
for (const [name, text, target] of large) {
  const time = timePerCall(() => splitReply(text), 5);
  rows.push({
    path: `time, ${name}`,
    figure: ms(time),
    ceiling: '-',
    ratio: '-',
    target: `< ${target} ms`,
    met: time < target ? 'yes' : 'NO',
    notes: `${Math.round(text.length / 1024)} KB, ${text.split('\n').length} lines`,
  });
}

console.log(formatTable(rows));
