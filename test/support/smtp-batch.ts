import { SmtpTestClient, type SmtpReply } from './smtp-client.js';

export interface OutgoingMessage {
  /** Names the message in failure output, e.g. its corpus path. */
  label: string;
  /** The envelope sender; null sends the null sender `<>`. */
  from: string | null;
  to: string[];
  raw: Buffer;
}

export interface DeliveryOutcome {
  label: string;
  /** Every reply of the transaction, in order: MAIL, each RCPT, DATA, the final reply. */
  replies: SmtpReply[];
  /** The final reply after the message bytes, or null when the transaction never got that far. */
  final: SmtpReply | null;
  /** A transport failure (connection refused or dropped), else null. */
  error: string | null;
}

export interface BatchOptions {
  /** Connections open at once. */
  connections?: number;
  /** Messages sent over one connection before it is closed and another opened. */
  messagesPerConnection?: number;
}

/**
 * Delivers many messages over a few SMTP connections, the way a relay does: one EHLO per
 * connection, then MAIL/RCPT/DATA per message. A broken connection is recorded against the
 * message it broke on and replaced.
 */
export async function deliverBatch(
  port: number,
  messages: readonly OutgoingMessage[],
  { connections = 4, messagesPerConnection = Infinity }: BatchOptions = {},
): Promise<DeliveryOutcome[]> {
  const outcomes: DeliveryOutcome[] = [];
  let next = 0;
  const worker = async () => {
    let client: SmtpTestClient | null = null;
    let sent = 0;
    try {
      while (next < messages.length) {
        const index = next++;
        const message = messages[index];
        if (!message) continue;
        try {
          if (client && sent >= messagesPerConnection) {
            await client.quit();
            client = null;
          }
          if (!client) {
            client = await SmtpTestClient.connect(port);
            sent = 0;
            const ehlo = await client.command('EHLO corpus-relay.test');
            if (ehlo.code !== 250) throw new Error(`EHLO answered ${ehlo.code} ${ehlo.text}`);
          }
          sent++;
          outcomes[index] = await transaction(client, message);
        } catch (error) {
          outcomes[index] = {
            label: message.label,
            replies: [],
            final: null,
            error: String(error),
          };
          await client?.quit();
          client = null;
        }
      }
    } finally {
      await client?.quit();
    }
  };
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(connections, messages.length)) }, worker),
  );
  return outcomes;
}

async function transaction(
  client: SmtpTestClient,
  message: OutgoingMessage,
): Promise<DeliveryOutcome> {
  const replies: SmtpReply[] = [];
  const done = (final: SmtpReply | null): DeliveryOutcome => ({
    label: message.label,
    replies,
    final,
    error: null,
  });
  const mail = await client.command(`MAIL FROM:<${message.from ?? ''}>`);
  replies.push(mail);
  if (mail.code >= 300) {
    await client.command('RSET');
    return done(null);
  }
  let accepted = 0;
  for (const to of message.to) {
    const rcpt = await client.command(`RCPT TO:<${to}>`);
    replies.push(rcpt);
    if (rcpt.code < 300) accepted++;
  }
  if (accepted === 0) {
    await client.command('RSET');
    return done(null);
  }
  const { start, final } = await client.data(message.raw);
  replies.push(start, ...final);
  return done(final[0] ?? null);
}

/** Outcomes that were not a clean `250` at every step: refusals, temporary failures, dropped connections. */
export function failedDeliveries(outcomes: readonly DeliveryOutcome[]): string[] {
  return outcomes.flatMap((outcome) => {
    if (outcome.error) return [`${outcome.label}: ${outcome.error}`];
    const bad = outcome.replies.find((reply) => reply.code >= 400);
    if (bad) return [`${outcome.label}: ${bad.code} ${bad.text}`];
    if (outcome.final?.code !== 250) return [`${outcome.label}: no final 250`];
    return [];
  });
}
