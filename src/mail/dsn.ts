/**
 * RFC 3464 delivery status notifications: the `message/delivery-status` body is a block of
 * per-message fields, then one block of per-recipient fields for each recipient, separated by
 * blank lines. Fields may be folded onto indented continuation lines.
 */

/** One recipient's fate as a mail server reported it. */
export interface BounceRecipient {
  /** The address, lowercased, without the `rfc822;` address type. */
  recipient: string;
  /** `failed`, `delayed`, `delivered`, `relayed` or `expanded`, lowercased; null when missing. */
  action: string | null;
  /** The enhanced status code (RFC 3463), e.g. `5.1.1`; null when missing. */
  status: string | null;
  /** The remote server's words, e.g. `550 5.1.1 user unknown`; null when missing. */
  diagnostic: string | null;
}

const ENHANCED_STATUS = /\b([245]\.\d{1,3}\.\d{1,3})\b/;

/** The first RFC 3463 enhanced status code in `text`, or null. */
export function enhancedStatus(text: string | null): string | null {
  return text === null ? null : (ENHANCED_STATUS.exec(text)?.[1] ?? null);
}

/** Drops the type prefix of a typed field (`rfc822; a@b`, `smtp; 550 …`) and collapses space. */
function untyped(value: string): string {
  const text = value.replace(/\s+/g, ' ').trim();
  const semicolon = text.indexOf(';');
  // Only a short word before the semicolon is a type; "550 5.1.1 user unknown; see" is not.
  return semicolon > 0 && /^[\w.-]{1,20}$/.test(text.slice(0, semicolon).trim())
    ? text.slice(semicolon + 1).trim()
    : text;
}

function address(value: string): string {
  return untyped(value).replace(/^<|>$/g, '').trim().toLowerCase();
}

function toRecipient(fields: ReadonlyMap<string, string>): BounceRecipient | null {
  const final = fields.get('final-recipient') ?? fields.get('original-recipient');
  const action = fields.get('action');
  const status = fields.get('status');
  if (final === undefined && action === undefined && status === undefined) return null;
  const diagnostic = fields.get('diagnostic-code');
  return {
    recipient: final === undefined ? '' : address(final),
    action:
      action === undefined ? null : (action.trim().split(/\s/)[0] ?? '').toLowerCase() || null,
    status: enhancedStatus(status ?? null) ?? enhancedStatus(diagnostic ?? null),
    diagnostic: diagnostic === undefined ? null : untyped(diagnostic) || null,
  };
}

/**
 * Parses the per-recipient blocks of a delivery-status body (several bodies may be concatenated).
 * Tolerates missing blank lines between recipients: a second Final-Recipient starts a new one.
 */
export function parseDeliveryStatus(text: string): BounceRecipient[] {
  const recipients: BounceRecipient[] = [];
  let fields = new Map<string, string>();
  let last: string | null = null;
  const flush = (): void => {
    const recipient = toRecipient(fields);
    if (recipient) recipients.push(recipient);
    fields = new Map();
    last = null;
  };
  for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
    if (line.trim() === '') {
      flush();
      continue;
    }
    if (/^[ \t]/.test(line) && last !== null) {
      fields.set(last, `${fields.get(last) ?? ''} ${line.trim()}`);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (name === 'final-recipient' && fields.has('final-recipient')) flush();
    fields.set(name, line.slice(colon + 1).trim());
    last = name;
  }
  flush();
  return recipients;
}
