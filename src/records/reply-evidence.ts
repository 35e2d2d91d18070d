import { replyAddress, signReplyToken, type ReplyTokenClaims } from '../auth/reply-token.js';
import {
  authenticateMessage,
  meetsDmarcRequirement,
  type SenderAuthentication,
} from '../auth/sender-authentication.js';
import type { RecordContext, RoutedMessage } from './record-context.js';

/**
 * SPF, DKIM and DMARC for a reply, from the stored raw message and the SMTP envelope (never from
 * headers the sender wrote).
 */
export async function authenticateReply(
  context: RecordContext,
  message: RoutedMessage,
  raw: () => Promise<Buffer>,
): Promise<SenderAuthentication> {
  return authenticateMessage({
    raw: await raw(),
    clientIp: message.inbound.clientAddress?.replace(/^::ffff:/, '') ?? null,
    helo: message.inbound.helo,
    mailFrom: message.inbound.mailFrom,
    mta: context.mailDomain,
    ...(context.dnsResolver ? { resolver: context.dnsResolver } : {}),
  });
}

/** Why a reply fails a project's DMARC requirement, or null when it meets it. */
export function dmarcRefusal(auth: SenderAuthentication | null): string | null {
  return auth && !meetsDmarcRequirement(auth)
    ? `the project requires DMARC or aligned DKIM and this message has neither (${auth.summary})`
    : null;
}

/** What the audit trail keeps about a reply that acted (or tried to act) on a record. */
export function replyEvidence(
  message: RoutedMessage,
  token: { claims: ReplyTokenClaims; tokenId: string },
  auth: SenderAuthentication | null,
): Record<string, unknown> {
  return {
    messageId: message.messageId,
    rawSha256: message.inbound.rawSha256,
    token: {
      ...token.claims,
      expiresAt: token.claims.expiresAt.toISOString(),
      tokenId: token.tokenId,
    },
    authentication: auth?.raw ?? null,
    authenticationSummary: auth?.summary ?? null,
  };
}

/** A reply address signed for one person and record, or null when the deployment has no secret. */
export function signedReplyAddress(
  context: RecordContext,
  projectCode: string,
  claims: Omit<ReplyTokenClaims, 'expiresAt'>,
  now: Date,
  lifetimeDays: number,
): string | null {
  if (!context.secret) return null;
  const token = signReplyToken(context.secret, {
    ...claims,
    expiresAt: new Date(now.getTime() + lifetimeDays * 86_400_000),
  });
  return replyAddress(projectCode, token, context.mailDomain);
}
