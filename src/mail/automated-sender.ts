import type { MailAddress, ParsedMail } from './parsed-mail.js';

/**
 * Sender facts shared by auto-reply and bounce detection: header access, the null sender and
 * the addresses mail systems (not people) write from.
 */

/** All raw values of a header (name in any case), trimmed; [] when absent. */
export function headerValues(headers: ParsedMail['headers'], name: string): string[] {
  return (headers.get(name.toLowerCase()) ?? []).map((v) => v.trim());
}

/** First value of a header, or null. */
export function headerValue(headers: ParsedMail['headers'], name: string): string | null {
  return headerValues(headers, name)[0] ?? null;
}

/** The first token of a header value, lowercased: `auto-replied; owner=x (note)` → `auto-replied`. */
export function headerToken(value: string): string {
  return (value.split(/[\s;,(]/)[0] ?? '').toLowerCase();
}

/**
 * True for the null reverse-path (`MAIL FROM:<>`), which RFC 5321 reserves for bounces and
 * RFC 3834 asks auto-responders to use. `envelopeFrom` null means "not known" (e.g. a message
 * re-processed from storage); then the `Return-Path` header the delivering server wrote decides.
 */
export function isNullSender(envelopeFrom: string | null, headers: ParsedMail['headers']): boolean {
  if (envelopeFrom !== null) return envelopeFrom.trim() === '' || envelopeFrom.trim() === '<>';
  const returnPath = headerValue(headers, 'return-path');
  return returnPath !== null && /^<\s*>$/.test(returnPath);
}

// Exchange writes its non-delivery reports from `MicrosoftExchange<32 hex>@`.
const DAEMON_LOCAL_PART =
  /^(?:mailer[-_]?daemon|mail[-_]?daemon|postmaster|microsoftexchange[0-9a-f]{32})$/i;
const DAEMON_NAME = /^(?:mail delivery (?:subsystem|system|service)|mailer[- ]daemon)$/i;

/** True when the address (or its display name) is a mail system's: MAILER-DAEMON, postmaster. */
export function isDaemonSender(from: MailAddress | null | undefined): boolean {
  if (!from) return false;
  const local = from.address.split('@')[0] ?? '';
  return DAEMON_LOCAL_PART.test(local) || DAEMON_NAME.test(from.name.trim().replace(/^"|"$/g, ''));
}

/** The same test for the envelope sender given as a bare address. */
export function isDaemonEnvelope(envelopeFrom: string | null): boolean {
  if (envelopeFrom === null) return false;
  const local = envelopeFrom.trim().replace(/^<|>$/g, '').split('@')[0] ?? '';
  return DAEMON_LOCAL_PART.test(local);
}

const NO_REPLY_LOCAL_PART =
  /^(?:no[-_.]?reply|do[-_.]?not[-_.]?reply|notifications?[-_.]?noreply)(?:[-+_.].*)?$/i;

/** True for `noreply@`, `no-reply+x@`, `donotreply@` style senders, which no person reads. */
export function isNoReplySender(from: MailAddress | null | undefined): boolean {
  const local = from?.address.split('@')[0] ?? '';
  return NO_REPLY_LOCAL_PART.test(local);
}

/** A header value shortened for a reason string. */
export function shortValue(value: string, max = 60): string {
  const text = value.trim().replace(/\s+/g, ' ');
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
