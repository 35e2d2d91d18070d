import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface SunkMessage {
  envelopeFrom: string | null;
  envelopeTo: string[];
  raw: Buffer;
  parsed: ParsedMail;
}

/**
 * A real SMTP server standing in for the relay: it accepts everything Docket sends and keeps it,
 * so tests read notifications exactly as a recipient's server would receive them.
 */
export class SmtpSink {
  readonly messages: SunkMessage[] = [];
  /** Set by a test to refuse recipients, as a relay would: return the reply to give, or null. */
  refuse: ((address: string) => { code: number; text: string } | null) | null = null;
  #waiters: (() => void)[] = [];
  #server: SMTPServer;
  port = 0;

  private constructor() {
    this.#server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      onRcptTo: (address, _session, callback) => {
        const refusal = this.refuse?.(address.address);
        if (refusal) {
          callback(Object.assign(new Error(refusal.text), { responseCode: refusal.code }));
          return;
        }
        callback();
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks);
          simpleParser(raw).then(
            (parsed) => {
              this.messages.push({
                envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
                envelopeTo: session.envelope.rcptTo.map((r) => r.address),
                raw,
                parsed,
              });
              for (const wake of this.#waiters.splice(0)) wake();
              callback();
            },
            (error: Error) => callback(error),
          );
        });
      },
    });
  }

  static async start(): Promise<SmtpSink> {
    const sink = new SmtpSink();
    // A sender killed mid-message (as the crash tests do) resets its connection; a relay shrugs.
    sink.#server.on('error', () => undefined);
    await new Promise<void>((resolve) => sink.#server.listen(0, '127.0.0.1', () => resolve()));
    sink.port = (sink.#server.server.address() as AddressInfo).port;
    return sink;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Waits (bounded) for a message matching `predicate` and returns it. */
  async waitFor(
    predicate: (m: SunkMessage) => boolean,
    description: string,
    timeoutMs = 20_000,
  ): Promise<SunkMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(predicate);
      if (found) return found;
      if (Date.now() > deadline) {
        const seen = this.messages
          .map((m) => `${m.envelopeTo.join(',')}: ${m.parsed.subject ?? ''}`)
          .join('\n  ');
        throw new Error(`no message ${description} arrived; seen:\n  ${seen}`);
      }
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}

/** The first header value of a sunk message as text. */
export function headerOf(message: SunkMessage, name: string): string {
  const value = message.parsed.headers.get(name.toLowerCase());
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && 'text' in value) return String((value as { text: string }).text);
  return JSON.stringify(value);
}
