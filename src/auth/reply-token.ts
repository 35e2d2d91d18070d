import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Signed reply tokens: the `<token>` in `<code>+r-<token>@<MAIL_DOMAIN>`.
 *
 * Byte layout, then encoded as lowercase RFC 4648 base32 without padding:
 *
 *   1 byte   header: format version (high 4 bits, 1) | kind (low 4 bits)
 *   varint   recordId, revision, step, personId (unsigned LEB128, at most 5 bytes each)
 *   2 bytes  expiry: days since 1970-01-01 UTC, big-endian (the token dies at 00:00 UTC that day)
 *   3 bytes  random nonce
 *   12 bytes HMAC-SHA256 over everything before it, truncated to 96 bits
 *
 * An RFC 5321 local part holds at most 64 characters, and `<code>+r-` takes the code plus three,
 * so every byte counts: with recordId < 2^21, personId < 2^14 and revision, step < 128 the token
 * is 25 bytes = 40 characters. Larger ids make it grow gracefully rather than fail.
 */

export const REPLY_TOKEN_KINDS = ['review', 'ack', 'rfi', 'resubmit'] as const;
export type ReplyTokenKind = (typeof REPLY_TOKEN_KINDS)[number];

export interface ReplyTokenClaims {
  kind: ReplyTokenKind;
  recordId: number;
  revision: number;
  step: number;
  /** The member the token was issued to; only their reply may act on it. */
  personId: number;
  /** Day granularity: signing rounds up to the next 00:00 UTC, so a token never dies early. */
  expiresAt: Date;
}

export type ReplyTokenVerification =
  | { ok: true; claims: ReplyTokenClaims; tokenId: string }
  | { ok: false; reason: 'malformed' | 'bad-signature' | 'expired' };

const VERSION = 1;
const NONCE_BYTES = 3;
// 96 bits is the floor RFC 2104 §5 and NIST SP 800-107 accept for a truncated HMAC; a forger gets
// one guess per email sent, so 2^-96 per attempt is far beyond reach.
const TAG_BYTES = 12;
const DAY_MS = 86_400_000;
const MAX_CLAIM = 0xffff_ffff;
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
const SUBADDRESS_PREFIX = 'r-';

/** Derived keys by secret (a deployment has one): a digest signs a token for each of its lines. */
const derivedKeys = new Map<string, Buffer>();

/** Keys are derived per purpose, so the deployment secret signing reply tokens signs nothing else. */
function tokenKey(secret: string): Buffer {
  if (secret.length === 0) throw new RangeError('reply token secret is empty');
  let key = derivedKeys.get(secret);
  if (!key) {
    key = Buffer.from(hkdfSync('sha256', secret, '', 'docket reply token v1', 32));
    derivedKeys.set(secret, key);
  }
  return key;
}

function tag(secret: string, body: Buffer): Buffer {
  return createHmac('sha256', tokenKey(secret)).update(body).digest().subarray(0, TAG_BYTES);
}

/** Signs claims into a fresh token; each call draws a new nonce, so no two tokens are equal. */
export function signReplyToken(secret: string, claims: ReplyTokenClaims): string {
  const kind = REPLY_TOKEN_KINDS.indexOf(claims.kind);
  if (kind < 0) throw new RangeError(`unknown reply token kind ${String(claims.kind)}`);
  const day = Math.ceil(claims.expiresAt.getTime() / DAY_MS);
  if (!(day >= 1 && day <= 0xffff)) throw new RangeError('reply token expiry out of range');
  const bytes = [(VERSION << 4) | kind];
  for (const [name, value] of Object.entries(numericClaims(claims))) {
    if (!Number.isInteger(value) || value < 0 || value > MAX_CLAIM) {
      throw new RangeError(`reply token ${name} must be an integer in 0..${MAX_CLAIM}`);
    }
    for (let rest = value; ; rest = Math.floor(rest / 128)) {
      if (rest < 128) {
        bytes.push(rest);
        break;
      }
      bytes.push((rest % 128) | 0x80);
    }
  }
  bytes.push(day >> 8, day & 0xff);
  const body = Buffer.concat([Buffer.from(bytes), randomBytes(NONCE_BYTES)]);
  return base32Encode(Buffer.concat([body, tag(secret, body)]));
}

/**
 * Checks a token as read from an address, in any letter case. The structure is parsed first so a
 * cut-off token reads as malformed, then the tag is compared in constant time, then the expiry.
 * `tokenId` is the hex tag: a keyed hash of every claim and the nonce, so it names exactly this
 * token and is the key for the single-use ledger.
 */
export function verifyReplyToken(secret: string, token: string, now: Date): ReplyTokenVerification {
  const signed = checkSignature(secret, token);
  if (typeof signed === 'string') return { ok: false, reason: signed };
  if (now.getTime() >= signed.claims.expiresAt.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, ...signed };
}

/**
 * The claims of a token we signed, expired or not; null for anything else. For naming an address
 * on a page ("reply to 03 30 00-001.0 review"), never for acting on it: that is
 * {@link verifyReplyToken}'s job.
 */
export function readSignedReplyToken(secret: string, token: string): ReplyTokenClaims | null {
  const signed = checkSignature(secret, token);
  return typeof signed === 'string' ? null : signed.claims;
}

function checkSignature(
  secret: string,
  token: string,
): { claims: ReplyTokenClaims; tokenId: string } | 'malformed' | 'bad-signature' {
  const bytes = base32Decode(token);
  const parsed = bytes ? parseBody(bytes) : null;
  if (!bytes || !parsed) return 'malformed';
  const body = bytes.subarray(0, bytes.length - TAG_BYTES);
  const given = bytes.subarray(bytes.length - TAG_BYTES);
  if (!timingSafeEqual(given, tag(secret, body))) return 'bad-signature';
  return { claims: parsed, tokenId: given.toString('hex') };
}

/** The address a notification puts in `Reply-To`; mail systems may lowercase it, which is fine. */
export function replyAddress(code: string, token: string, mailDomain: string): string {
  return `${code}+${SUBADDRESS_PREFIX}${token}@${mailDomain}`.toLowerCase();
}

/** Takes the part after `+` (`r-<token>`) and returns the token, or null when it is not one. */
export function parseReplySubaddress(subaddress: string): string | null {
  const lower = subaddress.trim().toLowerCase();
  if (!lower.startsWith(SUBADDRESS_PREFIX)) return null;
  const token = lower.slice(SUBADDRESS_PREFIX.length);
  return /^[a-z2-7]+$/.test(token) ? token : null;
}

function numericClaims(claims: ReplyTokenClaims): Record<string, number> {
  const { recordId, revision, step, personId } = claims;
  return { recordId, revision, step, personId };
}

function parseBody(bytes: Buffer): ReplyTokenClaims | null {
  const header = bytes[0] ?? 0;
  const kind = REPLY_TOKEN_KINDS[header & 0x0f];
  if (header >> 4 !== VERSION || kind === undefined) return null;
  let at = 1;
  const values: number[] = [];
  for (let field = 0; field < 4; field++) {
    let value = 0;
    for (let shift = 1, length = 0; ; shift *= 128, length++) {
      const byte = bytes[at++];
      if (byte === undefined || length === 5) return null;
      value += (byte & 0x7f) * shift;
      if (byte < 0x80) break;
    }
    if (value > MAX_CLAIM) return null;
    values.push(value);
  }
  // Whatever the varints took, exactly expiry, nonce and tag must remain.
  if (bytes.length - at !== 2 + NONCE_BYTES + TAG_BYTES) return null;
  const day = bytes.readUInt16BE(at);
  const [recordId = 0, revision = 0, step = 0, personId = 0] = values;
  return { kind, recordId, revision, step, personId, expiresAt: new Date(day * DAY_MS) };
}

function base32Encode(bytes: Buffer): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xfff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ALPHABET[(buffer >> bits) & 31];
    }
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

/** Strict: unknown characters, impossible lengths and non-zero padding bits are all rejected, so
 * exactly one string (up to letter case) decodes to a given token. */
function base32Decode(text: string): Buffer | null {
  const out: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const char of text.toLowerCase()) {
    const value = ALPHABET.indexOf(char);
    if (value < 0) return null;
    buffer = ((buffer << 5) | value) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((buffer >> bits) & 0xff);
    }
  }
  if (bits >= 5 || (buffer & ((1 << bits) - 1)) !== 0) return null;
  return Buffer.from(out);
}
