import { enhancedStatus, type BounceRecipient } from './dsn.js';

/**
 * Bounces that are not RFC 3464 reports (qmail, old Exim and Sendmail, Exchange and Gmail
 * texts, forwarded copies): recognised by their subject and the fixed sentences each mail
 * system writes, with recipients and status codes read out of the prose where possible.
 */

const BOUNCE_SUBJECTS: readonly [RegExp, 'failed' | 'delayed'][] = [
  [/^undelivered mail returned to sender/i, 'failed'], // Postfix
  [/^delivery status notification \(failure\)/i, 'failed'], // Gmail, SES
  [/^delivery status notification \(delay\)/i, 'delayed'],
  [/^delayed mail \(still being retried\)/i, 'delayed'], // Postfix
  [/^warning: could not send message for past/i, 'delayed'], // Sendmail
  [/^delivery delayed\b/i, 'delayed'], // Exchange
  [/^warning: message \S+ delayed\b/i, 'delayed'], // Exim
  [/^mail delivery failed/i, 'failed'], // Exim
  [/^failure notice/i, 'failed'], // qmail, Yahoo
  [/^returned mail:/i, 'failed'], // Sendmail
  [
    /^(?:undeliverable|unzustellbar|non remis|onbestelbaar|non recapitabile|no se puede entregar)\b/i,
    'failed',
  ],
  [/^non-?deliverable\b/i, 'failed'],
  [/^(?:message )?delivery (?:failure|failed|has failed)/i, 'failed'],
  [/^delivery notification: delivery has failed/i, 'failed'], // Lotus Notes
  [/^mail system error - returned mail/i, 'failed'],
];

/** The bounce phrase the subject starts with and what it reports, or null. */
export function bounceSubject(
  subject: string,
): { phrase: string; action: 'failed' | 'delayed' } | null {
  const text = subject.trim();
  for (const [pattern, action] of BOUNCE_SUBJECTS) {
    const match = pattern.exec(text);
    if (match) return { phrase: match[0], action };
  }
  return null;
}

// Sentences only mail systems write; named for the reason string.
const BODY_MARKERS: readonly [RegExp, string][] = [
  [/This message was created automatically by mail delivery software/i, 'Exim'],
  [/This is the qmail-send program/i, 'qmail'],
  [/I'm sorry to have to inform you that your message could not\s+be delivered/i, 'Postfix'],
  [/This is the mail system at host/i, 'Postfix'],
  [/The following addresses had permanent fatal errors/i, 'Sendmail'],
  [/Delivery has failed to these recipients or groups/i, 'Exchange'],
  [/Your message to \S+ couldn't be delivered/i, 'Exchange Online'],
  [/Delivery to the following recipients? failed/i, 'Gmail'],
  [/Your message wasn't delivered to \S+/i, 'Gmail'],
  [/An error occurred while trying to deliver the mail to the following recipients/i, 'Amazon SES'],
];

/** Which mail system's bounce wording the body carries, or null. */
export function bounceBodyMarker(text: string | null): string | null {
  if (text === null) return null;
  return BODY_MARKERS.find(([pattern]) => pattern.test(text))?.[1] ?? null;
}

const DELAY_WORDING =
  /has not yet been delivered|will (?:continue to|keep) (?:try|retry)|still being retried|delivery (?:has been )?delayed|temporar(?:y|ily)/i;
const PERMANENT_WORDING =
  /permanent(?:ly)? (?:error|failure|fatal)|failed permanently|giving up|user unknown|does not exist|address not found|couldn't be found/i;

/** Whether the prose of a bounce says the failure is permanent, temporary, or neither. */
export function wordingSuggests(text: string | null): 'failed' | 'delayed' | null {
  if (text === null) return null;
  if (PERMANENT_WORDING.test(text)) return 'failed';
  return DELAY_WORDING.test(text) ? 'delayed' : null;
}

const ADDRESS = /[^\s<>()"',;:]+@[^\s<>()"',;:]+\.[a-z]{2,}/i;

function recipient(addr: string, diagnostic: string, action: string): BounceRecipient {
  const text = diagnostic.replace(/\s+/g, ' ').trim();
  return {
    recipient: addr.toLowerCase(),
    action,
    status: enhancedStatus(text),
    diagnostic: text === '' ? null : text,
  };
}

type Extractor = (body: string, action: string) => BounceRecipient[];

// qmail: "<a@b>:" alone on a line with the reason below; Postfix: "<a@b>: host x said: 550 …".
const angleBlocks: Extractor = (body, action) =>
  [
    ...body.matchAll(/^<([^<>\s@]+@[^<>\s]+)>:[ \t]*(.*(?:\n(?![ \t]*\n)(?!<[^<>\s@]+@).*)*)/gm),
  ].map((m) => recipient(m[1] ?? '', m[2] ?? '', action));

// Exim: after "following address(es) failed:", addresses indented two spaces, details four.
const eximList: Extractor = (body, action) => {
  const heading =
    /(?:following address(?:\(es\)|es)? (?:failed|deferred)|address(?:\(es\)|es)? to which the message has not yet been delivered (?:is|are))[^\n]*\n/i.exec(
      body,
    );
  if (!heading) return [];
  return listAfter(body.slice(heading.index + heading[0].length), action, (line) =>
    /^ {1,3}\S+@\S+\s*$/.test(line),
  );
};

// Exchange, old Gmail, Sendmail and SES put the failed addresses, one per line, under a heading.
const headedList: Extractor = (body, action) => {
  const heading =
    /(?:Delivery has failed to these recipients or groups:|Delivery to the following recipients? failed[^\n]*|The following addresses had permanent fatal errors[^\n]*|deliver the mail to the following recipients:)[ \t]*\n/i.exec(
      body,
    );
  if (!heading) return [];
  return listAfter(body.slice(heading.index + heading[0].length), action, (line) =>
    /^\s*<?[^\s<>()]+@[^\s<>()]+>?\s*(?:\([^)]*\))?\s*$/.test(line),
  );
};

/** Address lines and the detail lines under each, up to the first blank line after details. */
function listAfter(
  text: string,
  action: string,
  isAddressLine: (line: string) => boolean,
): BounceRecipient[] {
  const found: { addr: string; details: string[] }[] = [];
  for (const line of text.split('\n')) {
    const last = found[found.length - 1];
    if (line.trim() === '') {
      if (last && last.details.length > 0) break;
      continue;
    }
    if (isAddressLine(line)) {
      found.push({ addr: ADDRESS.exec(line)?.[0] ?? '', details: [] });
    } else if (last) {
      last.details.push(line);
    } else break;
  }
  return found.map((f) => recipient(f.addr, f.details.join(' '), action));
}

// Gmail and Exchange Online name the one recipient in a sentence.
const sentence: Extractor = (body, action) => {
  const m =
    /(?:Your message wasn't delivered to|Your message to) (\S+@[^\s,]+?)(?: because| couldn't)/i.exec(
      body,
    );
  return m?.[1] === undefined ? [] : [recipient(m[1], body.slice(m.index, m.index + 400), action)];
};

/**
 * Recipients named in bounce prose, tried in order until one form matches: qmail/Postfix
 * `<addr>:` blocks, Exim's indented list, a list under a known heading, a Gmail/Exchange sentence.
 */
export function recipientsFromText(
  text: string | null,
  action: 'failed' | 'delayed',
): BounceRecipient[] {
  if (text === null) return [];
  const body = text.replace(/\r\n?/g, '\n');
  for (const extract of [angleBlocks, eximList, headedList, sentence]) {
    const found = extract(body, action).filter((r) => ADDRESS.test(r.recipient));
    if (found.length > 0) return found;
  }
  return [];
}
