/**
 * Outlook's `Thread-Index` header (MS-OXOMSG PidTagConversationIndex): base64 of a 22-byte header
 * (1 reserved byte, 5 bytes of FILETIME, 16-byte conversation GUID) followed by one 5-byte block
 * per reply or forward. Every message of a conversation shares the 22-byte header, so it is a
 * threading key even when Outlook sends only In-Reply-To, or the parent never reached us.
 */

const HEADER_BYTES = 22;
const CHILD_BLOCK_BYTES = 5;
const BASE64_RE = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Decodes a Thread-Index strictly. Buffer's own decoder skips invalid characters silently, so
 * the alphabet and padding are checked first; a length that is not 22 + 5n bytes means the value
 * was not made by Outlook's algorithm (or was truncated) and is not trusted.
 */
function decodeThreadIndex(raw: string): Buffer | null {
  const text = raw.replace(/\s+/g, '');
  if (!BASE64_RE.test(text)) return null;
  // Unpadded values are tolerated; a length of 4n+1 cannot be base64, and padding implies 4n.
  if (text.length % 4 === 1 || (text.includes('=') && text.length % 4 !== 0)) return null;
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length < HEADER_BYTES || (bytes.length - HEADER_BYTES) % CHILD_BLOCK_BYTES !== 0) {
    return null;
  }
  // An all-zero time and GUID is a placeholder some gateways emit; it would join every such mail.
  if (bytes.subarray(1, HEADER_BYTES).every((b) => b === 0)) return null;
  return bytes;
}

/**
 * The conversation key: the 22-byte header as lowercase hex, or null when the header is not a
 * valid Thread-Index.
 */
export function threadIndexRoot(raw: string): string | null {
  const bytes = decodeThreadIndex(raw);
  return bytes ? bytes.subarray(0, HEADER_BYTES).toString('hex') : null;
}

/**
 * How many replies/forwards deep the message is in its Outlook conversation (0 for the message
 * that started it), or null when the header is not a valid Thread-Index.
 */
export function threadIndexDepth(raw: string): number | null {
  const bytes = decodeThreadIndex(raw);
  return bytes ? (bytes.length - HEADER_BYTES) / CHILD_BLOCK_BYTES : null;
}
