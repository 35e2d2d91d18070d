import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface BareServer {
  port: number;
  /** Messages answered `250` so far. */
  readonly accepted: number;
  close(): Promise<void>;
}

/**
 * The acceptance ceiling: smtp-server with the options Docket's inbound server uses
 * (src/inbound/smtp-server.ts), which drains each message and discards it. No storage, no lookups.
 */
export async function startBareServer(maxMessageBytes: number): Promise<BareServer> {
  let accepted = 0;
  const server = new SMTPServer({
    name: 'docket.localhost',
    banner: 'Docket project inbox',
    lmtp: false,
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: maxMessageBytes,
    hideSize: true,
    logger: false,
    onData(stream, _session, callback) {
      stream.on('end', () => {
        accepted++;
        callback(null, '2.6.0 Message discarded');
      });
      stream.resume();
    },
  });
  server.listen(0, '127.0.0.1');
  await once(server.server, 'listening');
  return {
    port: (server.server.address() as AddressInfo).port,
    get accepted() {
      return accepted;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
