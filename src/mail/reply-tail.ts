/**
 * Where the person's text ends, once the history around it is known (reply-cut.ts): at a
 * signature delimiter or device line, before quoted lines they left unanswered at the end, before
 * a contact card drawn under a rule, and before a rule or blank lines above whatever was cut.
 */
import { isBlankLike, isContent, type LineKind, type StepCounter } from './reply-line-kinds.js';
import { CARD_LINES, isCardLine } from './reply-signature.js';

/** A line shortened for a reason string, so reasons stay readable in the UI and logs. */
export function clip(line: string, max = 120): string {
  const text = line
    .slice(0, max * 4)
    .trim()
    .replace(/\s+/g, ' ');
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export interface Region {
  lines: readonly string[];
  kinds: readonly LineKind[];
  /** Lines already cut inside the region (an inline reply's quote header). */
  keep: readonly boolean[];
  start: number;
  end: number;
}

export interface TailCut {
  /** Just past the last line of what the person wrote. */
  end: number;
  reasons: string[];
  /** Quoted lines were cut, not only a signature. */
  quoteCut: boolean;
}

function hasContent(region: Region, to: number): boolean {
  for (let k = region.start; k < to; k++) {
    if (region.keep[k] === true && isContent(region.kinds[k])) return true;
  }
  return false;
}

/** The first `-- `-style delimiter or "Sent from my …" line: the signature runs from there. */
function signatureStart(region: Region, counter: StepCounter): number {
  for (let i = region.start; i < region.end; i++) {
    counter.steps += 1;
    const kind = region.kinds[i];
    if (kind === 'delimiter' || kind === 'device') return i;
  }
  return region.end;
}

/** The start of the `>` lines (and blank lines) at the end of the region. */
function trailingQuoteStart(region: Region, end: number, counter: StepCounter): number {
  let start = end;
  while (
    start > region.start &&
    (region.kinds[start - 1] === 'quote' || isBlankLike(region.kinds[start - 1]))
  ) {
    counter.steps += 1;
    start -= 1;
  }
  return start;
}

/**
 * A rule with a short contact card under it at the end ("---", "Tom Builder", "Site Manager",
 * a phone number): the rule's line, or -1. Longer or sentence-like text under a rule is content.
 */
function cardRule(region: Region, end: number, counter: StepCounter): number {
  let card = end;
  let cardLines = 0;
  while (card > region.start && cardLines <= CARD_LINES) {
    counter.steps += 1;
    const kind = region.kinds[card - 1];
    if (kind === 'blank') card -= 1;
    else if (kind === 'text' && isCardLine(region.lines[card - 1] ?? '')) {
      card -= 1;
      cardLines += 1;
    } else break;
  }
  const rule = card - 1;
  const isCard = region.kinds[rule] === 'rule' && cardLines >= 1 && cardLines <= CARD_LINES;
  return isCard && hasContent(region, rule) ? rule : -1;
}

/** `end`, or the rule above a contact card that ends the region there (with its reason). */
function cutCard(region: Region, end: number, reasons: string[], counter: StepCounter): number {
  const rule = cardRule(region, end, counter);
  if (rule < 0) return end;
  let name = rule + 1;
  while (isBlankLike(region.kinds[name])) name += 1;
  reasons.push(`signature under a rule: "${clip(region.lines[name] ?? '')}"`);
  return rule;
}

/**
 * Where the person's text in `region` ends, and why. `cutBelow`: history or an HTML quote follows
 * the region, so a rule drawn at its end belongs to what was cut.
 */
export function tailCut(region: Region, cutBelow: boolean, counter: StepCounter): TailCut {
  const { lines, kinds } = region;
  const reasons: string[] = [];
  let end = region.end;
  let quoteCut = false;

  const signature = signatureStart(region, counter);
  if (signature < end) {
    const line = clip(lines[signature] ?? '');
    reasons.push(
      kinds[signature] === 'device' ? `device signature: "${line}"` : `signature: "${line}"`,
    );
    end = signature;
  }

  // A card may sit under the quoted lines (a list footer), or the quoted lines under a card.
  end = cutCard(region, end, reasons, counter);
  const quotes = trailingQuoteStart(region, end, counter);
  const firstQuote = kinds.indexOf('quote', quotes);
  if (firstQuote >= 0 && firstQuote < end && hasContent(region, quotes)) {
    reasons.push(`quoted text at the end: "${clip(lines[firstQuote] ?? '')}"`);
    quoteCut = true;
    end = cutCard(region, quotes, reasons, counter);
  }

  const ruleGoes = cutBelow || end < region.end;
  while (
    end > region.start &&
    (isBlankLike(kinds[end - 1]) || (ruleGoes && kinds[end - 1] === 'rule'))
  ) {
    counter.steps += 1;
    end -= 1;
  }
  return { end, reasons, quoteCut };
}
