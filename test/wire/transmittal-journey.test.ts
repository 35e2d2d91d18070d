import { createHash } from 'node:crypto';
import type Mail from 'nodemailer/lib/mailer';
import MailComposer from 'nodemailer/lib/mail-composer';
import { extractText } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transmittals } from '../../src/cli/commands/transmittals.js';
import { upsertMember } from '../../src/projects/member.repository.js';
import { composeReply } from '../support/compose-reply.js';
import { SmtpSink, headerOf, type SunkMessage } from '../support/smtp-sink.js';
import { createTestProject, startTestService, type TestService } from '../support/test-service.js';
import { testDatabaseKind } from '../support/test-db.js';
import { deliverAndFile, replyAddressOf, sentTo } from '../support/journey.js';

const DANA = 'dana@contractor.example';
const LEE = 'lee@steel.example';
const PAT = 'pat@owner.example';
const KIM = 'kim@steel.example';
const INBOX = 'twr-a+transmittal@docket.localhost';
const sha256 = (bytes: Buffer | Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const squash = (text: string) => text.replace(/\s+/g, '');

const DOCUMENTS = [
  {
    filename: 'S-301 Level 3 slab.dwg',
    contentType: 'image/vnd.dwg',
    content: Buffer.alloc(3000, 7),
  },
  {
    filename: 'Slab penetrations spec.pdf',
    contentType: 'application/pdf',
    content: Buffer.from('%PDF-1.4\n% penetrations\n%%EOF\n'),
  },
];

/** The sender's message, composed by nodemailer as a real client's would be. */
const compose = (options: Mail.Options): Promise<Buffer> =>
  new MailComposer({ date: new Date(), ...options }).compile().build();

describe(`transmittal journeys over SMTP on ${testDatabaseKind}`, () => {
  let sink: SmtpSink;
  let test: TestService;
  let projectId: number;
  beforeAll(async () => {
    sink = await SmtpSink.start();
    test = await startTestService({ SMTP_RELAY_URL: sink.url });
    projectId = (await createTestProject(test.service, 'twr-a')).id;
    // Dana issues the contractor's transmittals: a member, so Docket answers her.
    await upsertMember(test.service.db, { projectId, email: DANA });
  });
  afterAll(async () => {
    await test.stop();
    await sink.close();
  });

  const deliver = (from: string, to: string, raw: Buffer | string) =>
    deliverAndFile(test, from, to, raw);
  const replyTo = replyAddressOf;
  const to = sentTo;
  const transmittal = () =>
    test.service.db
      .selectFrom('transmittals')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('number', '=', 1)
      .executeTakeFirstOrThrow();
  const ackedAt = async (email: string) =>
    (
      await test.service.db
        .selectFrom('transmittal_recipients')
        .select('acknowledged_at')
        .where('project_id', '=', projectId)
        .where('email', '=', email)
        .executeTakeFirstOrThrow()
    ).acknowledged_at;
  /** `from` answers the transmittal `mail` at its acknowledgement address. */
  const answer = (from: string, mail: SunkMessage, messageId: string, body: string, more = {}) =>
    deliver(
      from.replace(/^.*<|>$/g, ''),
      replyTo(mail),
      composeReply({
        from,
        to: replyTo(mail),
        subject: `Re: ${mail.parsed.subject}`,
        messageId,
        body,
        ...more,
      }),
    );
  const filingReasons = async (messageId: string) =>
    (
      await test.service.db
        .selectFrom('messages')
        .select('filing_reasons')
        .where('message_id', '=', messageId)
        .executeTakeFirstOrThrow()
    ).filing_reasons.map((r) => `${r.rule}: ${r.detail}`);

  it('issues TR-0001 to To and Cc with the cover sheet, and closes it when both acknowledge', async () => {
    await deliver(
      DANA,
      INBOX,
      await compose({
        from: { name: 'Dana Fields', address: DANA },
        to: [{ name: 'Lee Park', address: LEE }, INBOX],
        cc: PAT,
        subject: '[FOR CONSTRUCTION] Level 3 slab',
        messageId: '<tr-1@contractor.example>',
        text: 'Sent via: email\n\nPenetrations revised at grid C/4.',
        attachments: DOCUMENTS,
      }),
    );
    const sent = await sink.waitFor(to(DANA, /^Sent: transmittal TR-0001 /), 'confirming to Dana');
    expect(sent.parsed.attachments.map((a) => a.filename)).toEqual(['TR-0001 cover sheet.pdf']);
    const forLee = await sink.waitFor(to(LEE, /^Transmittal TR-0001: /), 'sending to Lee');
    const forPat = await sink.waitFor(to(PAT, /^Transmittal TR-0001: /), 'sending to Pat');
    const record = await transmittal();
    expect(record).toMatchObject({
      subject: 'Level 3 slab',
      purpose: 'For Construction',
      sent_via: 'Email attachment',
      remarks: 'Penetrations revised at grid C/4.',
      status: 'open',
    });

    for (const mail of [forLee, forPat]) {
      expect(headerOf(mail, 'auto-submitted')).toBe('auto-generated');
      expect(replyTo(mail)).toMatch(/^twr-a\+r-[a-z2-7]+@docket\.localhost$/);
      const [cover, ...documents] = mail.parsed.attachments;
      expect(cover?.filename).toBe('TR-0001 cover sheet.pdf');
      expect(sha256(cover!.content)).toBe(record.cover_sha256);
      expect(documents.map((d) => [d.filename, sha256(d.content)])).toEqual(
        DOCUMENTS.map((d) => [d.filename, sha256(d.content)]),
      );
      const { text } = await extractText(new Uint8Array(cover!.content), { mergePages: true });
      for (const expected of ['TR-0001', 'For Construction', 'Level 3 slab', DANA, LEE, PAT])
        expect(squash(text)).toContain(squash(expected));
      // The formats are guessed from the names: a .dwg is a drawing, "spec" a specification.
      expect(text).toMatch(/Drawings[\s\S]*Specifications/);
      for (const d of DOCUMENTS) {
        expect(squash(text)).toContain(squash(d.filename));
        expect(squash(text)).toContain(sha256(d.content));
      }
    }
    expect(replyTo(forLee)).not.toBe(replyTo(forPat));

    // Lee's out-of-office answers the transmittal: it is filed, but acknowledges nothing.
    await answer(LEE, forLee, 'lee-oof@steel.example', 'I am out of the office until Monday.', {
      subject: `Automatic reply: ${forLee.parsed.subject}`,
      headers: { 'Auto-Submitted': 'auto-replied' },
    });
    expect(await filingReasons('lee-oof@steel.example')).toContainEqual(
      expect.stringMatching(/^transmittal-ack: filed as a comment: .*automatic reply/),
    );
    // Kim, Lee's colleague, answers from her own address: not Lee's acknowledgement, and as the
    // transmittal does not involve her (anyone could have written her address) she is not told.
    await answer(KIM, forLee, 'kim-1@steel.example', 'Received for Lee.');
    expect(await filingReasons('kim-1@steel.example')).toEqual(
      expect.arrayContaining([
        `transmittal-ack: filed as a comment: the message is from ${KIM}, but this reply address belongs to ${LEE}`,
        `answer: no answer sent: ${KIM} is not a member of project twr-a nor involved in transmittal TR-0001`,
      ]),
    );
    // Pat, a recipient herself, answers from Lee's address: not Lee's acknowledgement, and she is told.
    await answer(PAT, forLee, 'pat-on-lee@owner.example', 'Received for Lee.');
    const told = await sink.waitFor(
      to(PAT, /^Not recorded as an acknowledgement/),
      'telling Pat her reply did not count',
    );
    expect(told.parsed.text).toContain(`this reply address belongs to ${LEE}`);
    expect(await ackedAt(LEE)).toBeNull();
    expect(await ackedAt(PAT)).toBeNull();
    // Never answer a machine nor a stranger: the only "not counted" note is Pat's.
    const notCounted = await test.service.db
      .selectFrom('outbox')
      .select('to_addresses')
      .where('kind', '=', 'ack-not-counted')
      .execute();
    expect(notCounted.map((m) => m.to_addresses)).toEqual([[PAT]]);

    await answer(
      `Lee Park <${LEE}>`,
      forLee,
      'lee-1@steel.example',
      'Received, thanks.\r\n\r\n> ##- Please type your reply above this line -##',
    );
    expect(await ackedAt(LEE)).toBeInstanceOf(Date);
    expect(await ackedAt(PAT)).toBeNull();
    expect((await transmittal()).status).toBe('open');

    await answer(PAT, forPat, 'pat-1@owner.example', 'Got it.', { subject: 'Re: transmittal' });
    const closed = await transmittal();
    expect(closed.status).toBe('closed');
    expect(closed.closed_at).toEqual(await ackedAt(PAT));
    expect(await filingReasons('pat-1@owner.example')).toContain(
      'transmittal-ack: closed transmittal TR-0001: every recipient acknowledged',
    );

    const trail = await test.service.db
      .selectFrom('audit_events')
      .select(['action', 'actor'])
      .where('project_id', '=', projectId)
      .where('record_type', '=', 'transmittal')
      .where('record_id', '=', closed.id)
      .orderBy('id')
      .execute();
    expect(trail).toEqual([
      { action: 'created', actor: DANA },
      { action: 'reply-filed-as-comment', actor: LEE },
      { action: 'reply-filed-as-comment', actor: KIM },
      { action: 'reply-filed-as-comment', actor: PAT },
      { action: 'acknowledged', actor: LEE },
      { action: 'acknowledged', actor: PAT },
      { action: 'closed', actor: null },
    ]);

    const printed: string[] = [];
    const { config, db, blobs, filing } = test.service;
    await transmittals(
      {
        config,
        db,
        blobs,
        filing,
        io: { out: (text) => printed.push(text), progress: () => ({ tick() {}, stop() {} }) },
      },
      { code: 'twr-a' },
    );
    expect(printed[0]).toMatch(
      /^TR-0001 {2}Level 3 slab {2}\[For Construction\] {2}from Dana Fields/,
    );
    expect(printed[0]).toContain('CLOSED');
    expect(printed.slice(1).map((line) => line.replace(/\d{4}-\S+/, '<time>'))).toEqual([
      `    to  ${LEE}  acknowledged <time>`,
      `    cc  ${PAT}  acknowledged <time>`,
    ]);
  });

  it('tells the sender when a +transmittal email has nothing to transmit', async () => {
    await deliver(
      DANA,
      INBOX,
      composeReply({
        from: DANA,
        to: `${LEE}, ${INBOX}`,
        subject: 'Level 4 drawings',
        messageId: 'tr-2@contractor.example',
        body: 'Drawings to follow.',
      }),
    );
    const told = await sink.waitFor(
      to(DANA, /^Not sent as a transmittal: Level 4 drawings/),
      'telling Dana nothing was attached',
    );
    expect(told.parsed.text).toContain('has no attachments');
    const numbers = await test.service.db.selectFrom('transmittals').select('number').execute();
    expect(numbers).toEqual([{ number: 1 }]);
  });
});
