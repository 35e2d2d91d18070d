import { Readable } from 'node:stream';
import type { BlobStore } from '../../src/blobs/blob-store.js';
import { DatabaseBlobStore } from '../../src/blobs/database-blob-store.js';
import type { Db, Project } from '../../src/db/database.js';
import { storeDelivery } from '../../src/inbound/store-delivery.js';
import { fileInboundMessage } from '../../src/ingest/file-message.js';
import { MailTemplates } from '../../src/outbox/templates.js';
import type { RecordContext } from '../../src/records/record-context.js';
import { createProject } from '../../src/projects/project.repository.js';
import type { ReminderContext } from '../../src/reminders/reminder-mail.js';
import { saveWorkflow } from '../../src/submittals/workflow.repository.js';
import { composeReply } from '../support/compose-reply.js';

export const MAIL_DOMAIN = 'docket.localhost';
export const DANA = 'dana@contractor.example';
export const SAM = 'sam@architect.example';
export const OWEN = 'owen@owner.example';

/** What record rules and reminders run with in these tests: a database blob store, signing on. */
export function reminderEnv(db: Db, templates = new MailTemplates()) {
  const blobs: BlobStore = new DatabaseBlobStore(db);
  const records: RecordContext = {
    outbox: { blobs, templates, mailDomain: MAIL_DOMAIN, relayConfigured: false },
    secret: 'test-secret-test-secret-test-secret-0123',
    mailDomain: MAIL_DOMAIN,
  };
  const reminders: ReminderContext = { records, baseUrl: 'http://localhost:3000' };
  return { db, blobs, records, reminders };
}

/** Project twr-a whose default workflow reviews with `steps` (each a list of parallel reviewers). */
export async function createTowerA(db: Db, steps: string[][]): Promise<Project> {
  const project = await createProject(db, { code: 'twr-a', name: 'Tower A' });
  await saveWorkflow(db, { projectId: project.id, name: 'Default', specPrefix: null, steps });
  return project;
}

/** Receives a message for one project address at `at` and files it, as the SMTP edge would. */
export async function receiveAt(
  env: ReturnType<typeof reminderEnv>,
  projectId: number,
  mail: { from: string; to: string; raw: string },
  at: Date,
): Promise<void> {
  const raw = Buffer.from(mail.raw);
  const blob = await env.blobs.put(Readable.from([raw]));
  const [stored] = await storeDelivery(env.db, {
    blob,
    messageId: /^Message-ID: <([^>]+)>/m.exec(mail.raw)?.[1] ?? null,
    transport: 'smtp',
    mailFrom: mail.from,
    clientAddress: '192.0.2.10',
    clientHostname: null,
    helo: 'mail.example',
    smtpSessionId: null,
    receivedAt: at,
    projects: [{ projectId, recipients: [mail.to] }],
  });
  if (!stored) throw new Error('nothing stored');
  await fileInboundMessage(
    { db: env.db, blobs: env.blobs, mailDomain: MAIL_DOMAIN, records: env.records },
    {
      project_id: projectId,
      id: stored.inboundId,
      raw_sha256: blob.sha256,
      mail_from: mail.from,
      received_at: at,
      transport: 'smtp',
    },
    at,
  );
}

/** Dana submits a product data submittal by mail at `at`; the project's workflow picks reviewers. */
export function submitByMail(
  env: ReturnType<typeof reminderEnv>,
  project: { id: number; code: string },
  title: string,
  at: Date,
): Promise<void> {
  const to = `${project.code}+submittal@${MAIL_DOMAIN}`;
  return receiveAt(
    env,
    project.id,
    {
      from: DANA,
      to,
      raw: composeReply({
        from: `Dana Fields <${DANA}>`,
        to,
        subject: `03 30 00 ${title}`,
        messageId: `${title.replace(/\W+/g, '-')}-${at.getTime()}@contractor.example`,
        body: 'Type: Product Data\r\n\r\nAttached.',
        attachment: {
          filename: 'data.pdf',
          content: Buffer.from('%PDF-1.4\n%%EOF\n'),
          contentType: 'application/pdf',
        },
      }),
    },
    at,
  );
}

/** Digest and escalation rows in the outbox, oldest first. */
export function reminderMail(db: Db, kind: 'digest' | 'escalation') {
  return db
    .selectFrom('outbox')
    .select(['project_id', 'id', 'to_addresses', 'subject', 'text_body', 'html_body', 'status'])
    .where('kind', '=', kind)
    .orderBy('id')
    .execute();
}
