import { isDaemonEnvelope, isDaemonSender, isNullSender } from './automated-sender.js';
import {
  bounceBodyMarker,
  bounceSubject,
  recipientsFromText,
  wordingSuggests,
} from './bounce-text.js';
import { enhancedStatus, parseDeliveryStatus, type BounceRecipient } from './dsn.js';
import type { ParsedMail } from './parsed-mail.js';

export type { BounceRecipient } from './dsn.js';

/** Whether a message reports that our mail could not be delivered, and to whom. */
export interface BounceVerdict {
  isBounce: boolean;
  /** `hard`: the address is bad (5.x.x); `soft`: try again later (4.x.x, delayed); null: no bounce. */
  kind: 'hard' | 'soft' | 'unknown' | null;
  recipients: BounceRecipient[];
  reasons: string[];
}

type Mail = Pick<
  ParsedMail,
  'headers' | 'subject' | 'from' | 'rootContentType' | 'deliveryStatus' | 'text'
>;

const SMTP_REPLY = /\b([45])\d\d\b/;

/**
 * One recipient's outcome. A failure with a 4.x.x status (e.g. 4.4.7, gave up after days of
 * retrying) is soft: it says nothing about the address being wrong. Without a status the SMTP
 * reply code in the diagnostic decides.
 */
function recipientKind(r: BounceRecipient): 'hard' | 'soft' | 'unknown' | null {
  const klass = r.status?.[0] ?? SMTP_REPLY.exec(r.diagnostic ?? '')?.[1] ?? null;
  const action = r.action ?? (klass === '5' ? 'failed' : klass === '4' ? 'delayed' : null);
  if (action === 'delayed') return 'soft';
  if (action !== 'failed') return null;
  if (klass === '5') return 'hard';
  return klass === '4' ? 'soft' : 'unknown';
}

function overallKind(
  kinds: readonly ('hard' | 'soft' | 'unknown' | null)[],
): 'hard' | 'soft' | 'unknown' {
  if (kinds.includes('hard')) return 'hard';
  return kinds.includes('soft') ? 'soft' : 'unknown';
}

function fromReport(mail: Mail, reasons: string[]): BounceVerdict {
  const recipients = parseDeliveryStatus(mail.deliveryStatus ?? '');
  const kinds = recipients.map(recipientKind);
  const summary = recipients.map((r) =>
    `${r.recipient || '?'} ${r.action ?? '?'} ${r.status ?? ''}`.trim(),
  );
  if (!kinds.some((k) => k !== null)) {
    reasons.push(
      `delivery status report without failures (${summary.join(', ') || 'no recipients'})`,
    );
    return { isBounce: false, kind: null, recipients, reasons };
  }
  reasons.push(`delivery status report: ${summary.join(', ')}`);
  return { isBounce: true, kind: overallKind(kinds), recipients, reasons };
}

/**
 * Recognises bounces: RFC 3464 delivery status reports first (per-recipient action and status),
 * then non-standard bounces from a mail system (MAILER-DAEMON, postmaster, the null sender)
 * whose subject or wording is a known bounce. `hard` when any recipient failed with 5.x.x,
 * `soft` for 4.x.x or delayed-only reports (still `isBounce`), `unknown` when no code is given.
 * A report listing only delivered/relayed recipients is a receipt, not a bounce.
 */
export function detectBounce(mail: Mail, envelopeFrom: string | null): BounceVerdict {
  const reasons: string[] = [];
  const report =
    mail.rootContentType.value === 'multipart/report' &&
    mail.rootContentType.params['report-type']?.toLowerCase() === 'delivery-status';
  const fromSystem =
    isNullSender(envelopeFrom, mail.headers) ||
    isDaemonSender(mail.from) ||
    isDaemonEnvelope(envelopeFrom);
  if (report) reasons.push('multipart/report; report-type=delivery-status');
  const hasStatus = mail.deliveryStatus !== null && mail.deliveryStatus.trim() !== '';
  // A delivery-status part inside a person's message is a bounce they forwarded to us.
  if (hasStatus && (report || fromSystem)) {
    const verdict = fromReport(mail, reasons);
    if (verdict.recipients.length > 0) return verdict;
    reasons.push('delivery-status part has no recipient fields; reading the text');
  }

  const subject = bounceSubject(mail.subject);
  const marker = bounceBodyMarker(mail.text);
  if (fromSystem) reasons.push('sent by a mail system (null sender or MAILER-DAEMON/postmaster)');
  if (subject) reasons.push(`bounce subject: "${subject.phrase}"`);
  if (marker) reasons.push(`bounce wording (${marker})`);
  const evidence = [report, fromSystem, subject !== null, marker !== null].filter(Boolean).length;
  // One sign alone is not enough: a person may write "Undeliverable: …", and mail systems also
  // send receipts and notices. A forwarded bounce keeps its wording but gains a "Fwd:" subject.
  if (evidence < 2 || (subject === null && marker === null)) {
    return { isBounce: false, kind: null, recipients: [], reasons };
  }

  const wording = wordingSuggests(mail.text);
  const action = subject?.action === 'delayed' ? 'delayed' : (wording ?? 'failed');
  const recipients = recipientsFromText(mail.text, action);
  let kind = recipients.length > 0 ? overallKind(recipients.map(recipientKind)) : 'unknown';
  if (kind === 'unknown') {
    // No per-recipient code: fall back to any status code in the text, then to the wording.
    const status = enhancedStatus(mail.text);
    if (action === 'delayed') kind = 'soft';
    else if (status !== null) kind = status.startsWith('5') ? 'hard' : 'soft';
    else if (wording === 'failed') kind = 'hard';
  }
  return { isBounce: true, kind, recipients, reasons };
}
