import { classifyAutomated } from '../mail/auto-reply.js';
import { detectBounce } from '../mail/bounce.js';
import type { ParsedMail } from '../mail/parsed-mail.js';
import { splitReply } from '../mail/reply-split.js';
import type { FilingReason } from '../mail/threading.js';
import { REPLY_ABOVE_MARKER } from '../outbox/reply-above-marker.js';

export interface Classification {
  flags: string[];
  details: Record<string, unknown>;
  reply: string;
  elided: string;
  reasons: FilingReason[];
}

/**
 * Everything the log shows about a message besides its thread: automated or not, a bounce and for
 * whom, mailing-list traffic, Docket's own mail, and the new text split from the quoted.
 *
 * `fromOutbox` says the message is the copy of a notification Docket wrote (stored by the outbox,
 * never received): only that makes it Docket's own. A Message-ID at our domain proves nothing,
 * anyone can write one, and "Sent by Docket" in the log must not be forgeable.
 */
export function classifyMail(
  mail: ParsedMail,
  envelopeFrom: string | null,
  fromOutbox: boolean,
): Classification {
  const automated = classifyAutomated(mail, envelopeFrom);
  const bounce = detectBounce(mail, envelopeFrom);
  const split = splitAtOurMarker(mail.text) ?? splitReply(mail.text, mail.html);
  const own = fromOutbox;

  const flags: string[] = [];
  const reasons: FilingReason[] = [];
  if (automated.autoReply) flags.push('auto-reply');
  if (automated.list) flags.push('list');
  if (automated.bulk) flags.push('bulk');
  if (bounce.isBounce) flags.push('bounce');
  if (own) flags.push('own');
  if (mail.warnings.length > 0) flags.push('parse-warning');
  for (const reason of automated.reasons) reasons.push({ rule: 'automated', detail: reason });
  for (const reason of bounce.reasons) reasons.push({ rule: 'bounce', detail: reason });
  if (own) reasons.push({ rule: 'own-mail', detail: "the outbox's copy of a notification" });
  for (const reason of split.reasons) reasons.push({ rule: 'reply-split', detail: reason });

  return {
    flags,
    details: {
      automated,
      ...(bounce.isBounce ? { bounce: { kind: bounce.kind, recipients: bounce.recipients } } : {}),
    },
    reply: split.reply,
    elided: split.elided,
    reasons,
  };
}

/**
 * Replies to our notifications quote the "reply above this line" marker: everything from it on is
 * our own text. What is above still goes through the usual splitting (the client's "On … wrote:"
 * line, a signature).
 */
function splitAtOurMarker(
  text: string | null,
): { reply: string; elided: string; reasons: string[] } | null {
  if (!text) return null;
  const at = text.indexOf(REPLY_ABOVE_MARKER);
  if (at < 0) return null;
  const lineStart = text.lastIndexOf('\n', at) + 1;
  const above = splitReply(text.slice(0, lineStart));
  return {
    reply: above.reply,
    elided: [above.elided, text.slice(lineStart)].filter(Boolean).join('\n'),
    reasons: ['cut at the "reply above this line" marker', ...above.reasons],
  };
}
