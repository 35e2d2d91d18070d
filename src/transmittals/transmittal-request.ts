import type { MailAddress } from '../mail/parsed-mail.js';

/**
 * What a `+transmittal` email asks for, read from its subject and the new text of its body:
 *
 *   Subject: [For Construction] Level 3 slab drawings   → purpose For Construction
 *   Purpose: for review & comment                        → purpose For Review and Comment
 *   Sent via: courier                                    → Under separate cover: courier
 *   Please note the revised penetrations.                → remarks (everything else)
 *
 * A `Purpose:` line wins over the subject; with neither the purpose is For Information.
 */
export const TRANSMITTAL_PURPOSES = [
  'For Approval',
  'For Review and Comment',
  'For Information',
  'For Construction',
  'As Requested',
  'For Record',
] as const;
export type TransmittalPurpose = (typeof TRANSMITTAL_PURPOSES)[number];

export const DEFAULT_PURPOSE: TransmittalPurpose = 'For Information';
export const DEFAULT_SENT_VIA = 'Email attachment';

export interface TransmittalRequest {
  /** The subject without a bracketed purpose tag such as `[For Information]`. */
  subject: string;
  purpose: TransmittalPurpose;
  sentVia: string;
  remarks: string;
  /** What could not be read, told to the sender in the confirmation. */
  problems: string[];
}

// Phrases as people write them, after normalising (lowercase, `&` → `and`, punctuation → space).
// In a subject the phrase must be there in full ("for construction"); a `Purpose:` line may drop
// the leading "for" ("Approval"), since the field itself says it is a purpose.
const PHRASES: readonly (readonly [TransmittalPurpose, readonly string[]])[] = [
  ['For Approval', ['for approval', 'for your approval']],
  [
    'For Review and Comment',
    [
      'for review and comment',
      'for review and comments',
      'for review comment',
      'for review comments',
      'for comment',
      'for comments',
      'for review',
      'for your review',
    ],
  ],
  ['For Information', ['for information', 'for info', 'for your information', 'fyi']],
  ['For Construction', ['for construction', 'issued for construction']],
  ['As Requested', ['as requested', 'as per your request', 'per your request']],
  ['For Record', ['for record', 'for records', 'for your record', 'for your records']],
];

const normalise = (text: string): string =>
  ` ${text
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()} `;

const variants = (phrases: readonly string[], loose: boolean): readonly string[] =>
  loose ? [...phrases, ...phrases.map((p) => p.replace(/^for (your )?/, ''))] : phrases;

/**
 * The purpose named in `text`, or null. Where several appear, the first one written wins (a
 * subject "For Approval, then For Record" is for approval); at the same place the longer phrase
 * wins ("for review and comment" over "for review"). `loose` also accepts the phrase without its
 * leading "for", as a `Purpose:` field or a subject tag may write it ("Approval").
 */
export function findPurpose(text: string, loose = false): TransmittalPurpose | null {
  const haystack = normalise(text);
  let best: { purpose: TransmittalPurpose; at: number; length: number } | null = null;
  for (const [purpose, phrases] of PHRASES) {
    for (const phrase of variants(phrases, loose)) {
      const at = haystack.indexOf(` ${phrase} `);
      if (at < 0) continue;
      if (!best || at < best.at || (at === best.at && phrase.length > best.length))
        best = { purpose, at, length: phrase.length };
    }
  }
  return best?.purpose ?? null;
}

/** The purpose when `text` says nothing else (a subject tag `[For Information]`), else null. */
function purposeTag(text: string): TransmittalPurpose | null {
  const whole = normalise(text);
  const found = PHRASES.find(([, phrases]) =>
    variants(phrases, true).some((p) => whole === ` ${p} `),
  );
  return found?.[0] ?? null;
}

/**
 * Reads "Sent via": e-mail in any spelling is `Email attachment`; anything else (courier, hand
 * delivery, post) means the items travel apart from the email, written `Under separate cover: …`.
 */
export function normaliseSentVia(value: string): string {
  const text = value.trim().replace(/\s+/g, ' ');
  if (text === '' || /^(e-?mail|attach|electronic)/i.test(text)) return DEFAULT_SENT_VIA;
  const separate = /^under separate cover\s*[:,-]?\s*/i.exec(text);
  if (separate) return `Under separate cover: ${text.slice(separate[0].length) || 'unspecified'}`;
  return `Under separate cover: ${text}`;
}

const FIELD = /^\s*(purpose|sent via|remarks)\s*:\s*(.*?)\s*$/i;
// A bracketed or parenthesised tag in the subject that holds only a purpose.
const TAG = /\s*[[(]([^\])]*)[\])]\s*/g;

/** Reads a transmittal request from the subject and the reply text (quoted history removed). */
export function parseTransmittalRequest(subject: string, body: string): TransmittalRequest {
  const problems: string[] = [];
  let purposeField: string | null = null;
  let sentViaField: string | null = null;
  const remarks: string[] = [];
  for (const line of body.split(/\r?\n/)) {
    const match = FIELD.exec(line);
    const name = match?.[1]?.toLowerCase();
    const value = match?.[2] ?? '';
    if (name === 'purpose' && purposeField === null) purposeField = value;
    else if (name === 'sent via' && sentViaField === null) sentViaField = value;
    else if (name === 'remarks') remarks.push(value);
    else remarks.push(line);
  }

  let purpose = purposeField !== null ? findPurpose(purposeField, true) : null;
  if (purposeField !== null && purpose === null)
    problems.push(
      `unknown purpose "${purposeField}" (use one of ${TRANSMITTAL_PURPOSES.join(', ')})`,
    );
  // A tag is taken out of the subject (the purpose has its own field); a phrase in running text
  // stays, since it is part of what the sender wrote.
  const tagged: TransmittalPurpose[] = [];
  const cleaned = subject
    .replace(TAG, (whole, inner: string) => {
      const found = purposeTag(inner);
      if (!found) return whole;
      tagged.push(found);
      return ' ';
    })
    .replace(/\s+/g, ' ')
    .trim();
  purpose ??= tagged[0] ?? findPurpose(subject) ?? DEFAULT_PURPOSE;
  return {
    subject: cleaned || subject.trim(),
    purpose,
    sentVia: normaliseSentVia(sentViaField ?? ''),
    remarks: remarks
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim(),
    problems,
  };
}

/** `TR-0042`: the number people quote, four digits and more when a project needs them. */
export function transmittalNumber(number: number): string {
  return `TR-${String(number).padStart(4, '0')}`;
}

export interface TransmittalRecipient {
  email: string;
  name: string | null;
  role: 'to' | 'cc';
}

/**
 * Who a transmittal goes to: the people in To and Cc beside the project inbox. Every address of
 * ours (any project's, any subaddress) and the sender are left out; someone in both To and Cc is a
 * To recipient, once.
 */
export function transmittalRecipients(
  mail: { to: readonly MailAddress[]; cc: readonly MailAddress[] },
  sender: string | null,
  mailDomain: string,
): TransmittalRecipient[] {
  const ours = `@${mailDomain.toLowerCase()}`;
  const seen = new Set<string>(sender ? [sender.toLowerCase()] : []);
  const recipients: TransmittalRecipient[] = [];
  for (const [role, list] of [
    ['to', mail.to],
    ['cc', mail.cc],
  ] as const) {
    for (const { address, name } of list) {
      const email = address.trim().toLowerCase();
      if (!email.includes('@') || email.endsWith(ours) || seen.has(email)) continue;
      seen.add(email);
      recipients.push({ email, name: name.trim() || null, role });
    }
  }
  return recipients;
}
