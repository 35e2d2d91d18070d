import { finished } from 'node:stream/promises';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { BlobStore, StagedBlob } from '../blobs/blob-store.js';
import type { Config } from '../config.js';
import type { Db, Project } from '../db/database.js';
import { DocketError } from '../errors.js';
import type { Logger } from '../log.js';
import { readEnvelopeHeaders } from '../mail/envelope-headers.js';
import { capturingHeaders, HeaderCapture } from '../mail/header-capture.js';
import { cachedProjectLookup } from './project-lookup.js';
import { parseProjectAddress } from './recipient-address.js';
import { checkSenderPolicy } from './sender-policy.js';
import { smtpError, toSmtpError, type SmtpError } from './smtp-reply.js';
import type { Delivery, StoredDelivery } from './store-delivery.js';

export interface InboundDeps {
  db: Db;
  blobs: BlobStore;
  config: Config;
  log: Logger;
  /** Commits a delivery (group commit: see `DeliveryBatcher`). */
  store: (delivery: Delivery) => Promise<StoredDelivery[]>;
  /** Called after commit, with what was stored, so filing can start right behind the `250`. */
  onStored: (stored: StoredDelivery[]) => void;
}

export interface InboundServer {
  smtp: SMTPServer;
  /**
   * Stops accepting connections, lets every transaction already in DATA finish and answer, then
   * closes the idle sessions with 421 so their senders retry elsewhere or later.
   */
  close(): Promise<void>;
}

/**
 * The SMTP (or LMTP) edge. It only collects the envelope and the raw bytes, refuses what must be
 * refused with a precise code, and answers `250` once the message is committed. No business rules
 * run here beyond the recipient check and the sender policy.
 */
export function createInboundServer(deps: InboundDeps): InboundServer {
  const { config, log } = deps;
  const projectsBySession = new WeakMap<SMTPServerSession, Map<string, Project>>();
  const inFlight = new Set<Promise<unknown>>();
  const findProject = cachedProjectLookup(deps.db);

  const smtp = new SMTPServer({
    name: config.mailDomain,
    banner: 'Docket project inbox',
    lmtp: config.smtp.lmtp,
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: config.maxMessageBytes,
    maxClients: config.smtp.maxConnections,
    // smtp-server's own SIZE refusal carries no RFC 3463 code; we refuse in onMailFrom instead.
    hideSize: true,
    logger: false,
    // Only idle sessions are left when close() calls smtp-server's own close.
    closeTimeout: 1,

    onMailFrom(address, session, callback) {
      // A new transaction on a reused connection starts with no recipients of its own.
      projectsBySession.delete(session);
      const declared = Number(address.args && (address.args as Record<string, string>).SIZE);
      if (declared > config.maxMessageBytes) {
        callback(tooLarge(config.maxMessageBytes));
        return;
      }
      callback();
    },

    onRcptTo(address, session, callback) {
      if (session.envelope.rcptTo.length >= config.smtp.maxRecipients) {
        callback(
          smtpError(
            452,
            '4.5.3',
            `Too many recipients (at most ${config.smtp.maxRecipients} per message)`,
          ),
        );
        return;
      }
      const parsed = parseProjectAddress(address.address, config.mailDomain);
      if (!parsed) {
        callback(noSuchInbox(address.address));
        return;
      }
      findProject(parsed.code).then(
        (project) => {
          if (!project) return callback(noSuchInbox(address.address));
          const projects = projectsBySession.get(session) ?? new Map<string, Project>();
          projects.set(address.address.toLowerCase(), project);
          projectsBySession.set(session, projects);
          callback();
        },
        (error: unknown) => {
          log.error({ err: error, session: session.id }, 'recipient lookup failed');
          callback(toSmtpError(error));
        },
      );
    },

    onData(stream, session, callback) {
      const transaction = receive(
        deps,
        stream,
        session,
        projectsBySession.get(session) ?? new Map<string, Project>(),
      );
      inFlight.add(transaction);
      void transaction.finally(() => inFlight.delete(transaction)).catch(() => undefined);
      transaction.then(
        (replies) => callback(null, replies as unknown as string),
        (error: unknown) => {
          if (error instanceof ClientGoneError) {
            log.info({ session: session.id }, error.message);
            callback(error);
            return;
          }
          const reply = toSmtpError(error);
          if (reply.responseCode >= 500)
            log.info({ session: session.id, reply: reply.message }, 'message refused');
          else
            log.error(
              { err: error, session: session.id },
              'message not stored, sender told to retry',
            );
          callback(reply);
        },
      );
    },
  });

  // A client that drops the connection inside a transaction (a reset during DATA is common on
  // the internet) is reported as an 'error' event: without a listener Node ends the process.
  smtp.on('error', (error: Error & { code?: string }) => {
    log.warn({ err: error, code: error.code }, 'SMTP error');
  });

  return {
    smtp,
    async close() {
      // net.Server#close stops accepting at once; its callback would wait for idle sessions too.
      smtp.server.close();
      await Promise.allSettled([...inFlight]);
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
    },
  };
}

async function receive(
  deps: InboundDeps,
  stream: SMTPServerDataStream,
  session: SMTPServerSession,
  recipients: Map<string, Project>,
): Promise<string | (string | SmtpError)[]> {
  const capture = new HeaderCapture();
  let staged: StagedBlob;
  try {
    // Read without destroying the stream on an early return: smtp-server still owns it.
    const bytes = stream.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>;
    staged = await deps.blobs.put(capturingHeaders(bytes, capture));
  } catch (error) {
    // A client gone before its final dot closes the stream without ending it: nothing is stored
    // (the blob store removes what it staged), and there is nobody left to answer.
    if (!stream.readableEnded && (stream.destroyed || stream.closed)) throw new ClientGoneError();
    // The answer must wait for the client's final dot: drain what is left, then report.
    stream.resume();
    await finished(stream).catch(() => undefined);
    throw error;
  }
  // A message over the limit was still read to its end, so the client hears the answer in turn.
  if (stream.sizeExceeded) throw tooLarge(deps.config.maxMessageBytes);

  const headers = readEnvelopeHeaders(capture.headerBlock);
  const mailFrom = session.envelope.mailFrom
    ? session.envelope.mailFrom.address.toLowerCase()
    : null;
  const byProject = new Map<number, { project: Project; recipients: string[] }>();
  const envelope = new Set(session.envelope.rcptTo.map((rcpt) => rcpt.address.toLowerCase()));
  for (const [address, project] of recipients) {
    if (!envelope.has(address)) continue;
    const entry = byProject.get(project.id) ?? { project, recipients: [] };
    entry.recipients.push(address);
    byProject.set(project.id, entry);
  }

  const refusals = new Map<number, SmtpError>();
  for (const { project } of byProject.values()) {
    try {
      await checkSenderPolicy(deps.db, project, { fromHeader: headers.fromAddress, mailFrom });
    } catch (error) {
      refusals.set(project.id, toSmtpError(error));
    }
  }
  // Over SMTP one reply covers every recipient: a refusal by any project refuses the message, so
  // the sender hears about it instead of it being dropped for that project. LMTP answers each one.
  if (!deps.config.smtp.lmtp && refusals.size > 0) throw [...refusals.values()][0] as SmtpError;
  const accepted = [...byProject.values()].filter(({ project }) => !refusals.has(project.id));

  if (accepted.length > 0) {
    const stored = await deps.store({
      blob: staged,
      messageId: headers.messageId,
      transport: deps.config.smtp.lmtp ? 'lmtp' : 'smtp',
      mailFrom,
      clientAddress: session.remoteAddress ?? null,
      clientHostname: session.clientHostname ?? null,
      helo: session.hostNameAppearsAs ?? null,
      smtpSessionId: session.id,
      receivedAt: new Date(),
      projects: accepted.map(({ project, recipients }) => ({ projectId: project.id, recipients })),
    });
    deps.log.info(
      { session: session.id, sha256: staged.sha256, bytes: staged.size, stored },
      'message stored',
    );
    deps.onStored(stored);
  }
  const ok = `2.6.0 Message stored as ${staged.sha256.slice(0, 16)}`;
  if (!deps.config.smtp.lmtp) return ok;
  return session.envelope.rcptTo.map((rcpt) => {
    const project = recipients.get(rcpt.address.toLowerCase());
    return (project && refusals.get(project.id)) ?? ok;
  });
}

function noSuchInbox(address: string): SmtpError {
  return smtpError(550, '5.1.1', `No such project inbox: ${address}`);
}

function tooLarge(limit: number): SmtpError {
  return toSmtpError(
    new DocketError('too_large', `Message exceeds the maximum size of ${limit} bytes`),
  );
}

/** The client closed the connection in the middle of a message: nothing was stored. */
class ClientGoneError extends Error {
  constructor() {
    super('client closed the connection before the end of the message; nothing stored');
  }
}
