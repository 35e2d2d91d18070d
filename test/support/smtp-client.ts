import { Socket } from 'node:net';

export interface SmtpReply {
  code: number;
  text: string;
}

/**
 * A small line-level SMTP/LMTP client for tests: it speaks the protocol over a real socket and
 * hands back every reply exactly as the server sent it, so tests can check codes one by one.
 */
export class SmtpTestClient {
  readonly #socket: Socket;
  #buffer = '';
  #waiters: (() => void)[] = [];
  #closed = false;

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.#buffer += chunk;
      this.#wake();
    });
    socket.on('close', () => {
      this.#closed = true;
      this.#wake();
    });
    // A connection the server or the test cut: `reply()` reports it as closed.
    socket.on('error', () => undefined);
  }

  static async connect(port: number, host = '127.0.0.1'): Promise<SmtpTestClient> {
    const socket = new Socket();
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.connect(port, host, () => resolve());
    });
    const client = new SmtpTestClient(socket);
    await client.reply();
    return client;
  }

  /** Reads one (possibly multi-line) reply. */
  async reply(): Promise<SmtpReply> {
    for (;;) {
      const match = /^(?:\d{3}-[^\n]*\n)*(\d{3}) ([^\n]*)\r?\n/.exec(this.#buffer);
      if (match) {
        this.#buffer = this.#buffer.slice(match[0].length);
        return { code: Number(match[1]), text: (match[2] ?? '').trim() };
      }
      if (this.#closed) throw new Error(`connection closed; unread: ${this.#buffer}`);
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  async command(line: string): Promise<SmtpReply> {
    this.#socket.write(`${line}\r\n`);
    return this.reply();
  }

  /** Sends DATA and the message (dot-stuffed); returns the reply to DATA and the final reply(ies). */
  async data(
    raw: Buffer | string,
    finalReplies = 1,
  ): Promise<{ start: SmtpReply; final: SmtpReply[] }> {
    const start = await this.command('DATA');
    if (start.code !== 354) return { start, final: [] };
    const text = Buffer.isBuffer(raw) ? raw.toString('latin1') : raw;
    const normalized = text.replace(/\r?\n/g, '\r\n');
    const stuffed = normalized.replace(/^\./gm, '..');
    this.#socket.write(
      Buffer.from(stuffed.endsWith('\r\n') ? stuffed : `${stuffed}\r\n`, 'latin1'),
    );
    this.#socket.write('.\r\n');
    const final: SmtpReply[] = [];
    for (let i = 0; i < finalReplies; i++) final.push(await this.reply());
    return { start, final };
  }

  /** Writes raw bytes as they are (for a DATA body sent in pieces). */
  write(bytes: string): void {
    this.#socket.write(bytes);
  }

  /** Drops the connection as a crashing client or a broken network would: a TCP reset. */
  reset(): void {
    this.#socket.resetAndDestroy();
  }

  /** Closes the connection without QUIT (a TCP FIN), as a client that gives up would. */
  hangUp(): void {
    this.#socket.end();
  }

  async quit(): Promise<void> {
    if (!this.#closed) await this.command('QUIT').catch(() => undefined);
    this.#socket.destroy();
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }
}

/** One whole SMTP transaction: EHLO, MAIL FROM, RCPT TO each, DATA. Returns every reply. */
export async function sendMail(
  port: number,
  envelope: { from: string; to: string[]; helo?: string; lmtp?: boolean },
  raw: Buffer | string,
): Promise<{ mail: SmtpReply; rcpt: SmtpReply[]; data: SmtpReply | null; final: SmtpReply[] }> {
  const client = await SmtpTestClient.connect(port);
  try {
    await client.command(`${envelope.lmtp ? 'LHLO' : 'EHLO'} ${envelope.helo ?? 'client.test'}`);
    const mail = await client.command(`MAIL FROM:<${envelope.from}>`);
    const rcpt: SmtpReply[] = [];
    for (const to of envelope.to) rcpt.push(await client.command(`RCPT TO:<${to}>`));
    const accepted = rcpt.filter((r) => r.code < 300).length;
    if (mail.code >= 300 || accepted === 0) return { mail, rcpt, data: null, final: [] };
    const { start, final } = await client.data(raw, envelope.lmtp ? accepted : 1);
    return { mail, rcpt, data: start, final };
  } finally {
    await client.quit();
  }
}
