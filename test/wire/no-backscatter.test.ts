import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replyAddress, signReplyToken } from '../../src/auth/reply-token.js';
import type { Project } from '../../src/db/database.js';
import { upsertMember } from '../../src/projects/member.repository.js';
import { saveWorkflow } from '../../src/submittals/workflow.repository.js';
import { composeReply } from '../support/compose-reply.js';
import { deliverAndFile } from '../support/journey.js';
import { testDatabaseKind } from '../support/test-db.js';
import { createTestProject, startTestService, type TestService } from '../support/test-service.js';

// Pat is a project member; Dana submits and asks without being one (the project takes mail from
// anyone); Sam reviews; Mallory and Olga are strangers whose addresses anyone could write in From.
const PAT = 'pat@gc.example';
const DANA = 'dana@contractor.example';
const SAM = 'sam@architect.example';
const LEE = 'lee@steel.example';
const MALLORY = 'mallory@evil.example';
const OLGA = 'olga@supplier.example';
const TREVOR = 'trevor@elsewhere.example';
const pdf = {
  filename: 'a.pdf',
  content: Buffer.from('%PDF-1.4\n%%EOF\n'),
  contentType: 'application/pdf',
};

describe(`automatic answers go only to members and people the record involves, on ${testDatabaseKind}`, () => {
  let test: TestService;
  let project: Project;
  let seq = 0;
  beforeAll(async () => {
    // No relay: every answer stays in the outbox, where the test reads it.
    test = await startTestService();
    project = await createTestProject(test.service, 'bsc');
    await upsertMember(test.service.db, { projectId: project.id, email: PAT });
    await saveWorkflow(test.service.db, {
      projectId: project.id,
      name: 'Architect',
      specPrefix: null,
      steps: [[SAM]],
    });
  });
  afterAll(() => test.stop());

  /** Delivers a message (`from` as its From header writes it) and returns its Message-ID. */
  async function send(
    from: string,
    to: string,
    subject: string,
    body: string,
    extra: { attachment?: typeof pdf; headers?: Record<string, string> } = {},
  ): Promise<string> {
    const messageId = `bsc-${++seq}@test.example`;
    await deliverAndFile(
      test,
      from.replace(/^.*<|>$/g, ''),
      to,
      composeReply({ from, to, subject, messageId, body, ...extra }),
    );
    return messageId;
  }
  /** Subjects of the mail Docket queued for `address`, oldest first. */
  const mailTo = async (address: string) =>
    (
      await test.service.db
        .selectFrom('outbox')
        .select(['to_addresses', 'subject'])
        .orderBy('id')
        .execute()
    )
      .filter((row) => row.to_addresses.includes(address))
      .map((row) => row.subject);
  /** What the message's filing reasons say about the answer (rule `answer`). */
  const answerReasons = async (messageId: string) => {
    const row = await test.service.db
      .selectFrom('messages')
      .select('filing_reasons')
      .where('project_id', '=', project.id)
      .where('message_id', '=', messageId)
      .executeTakeFirstOrThrow();
    return row.filing_reasons.filter((r) => r.rule === 'answer').map((r) => r.detail);
  };
  /** The reply address of the latest notification to `address` of `kind`. */
  const replyAddressFor = async (address: string, kind: string) => {
    const rows = await test.service.db
      .selectFrom('outbox')
      .select(['to_addresses', 'reply_to'])
      .where('kind', '=', kind)
      .orderBy('id', 'desc')
      .execute();
    const row = rows.find((r) => r.to_addresses.includes(address));
    if (!row?.reply_to) throw new Error(`no ${kind} with a reply address to ${address}`);
    return row.reply_to;
  };

  it('files a forged REJECTED from a stranger with its reason and answers no one; a member and the submitter are told', async () => {
    await send(DANA, 'bsc+submittal@docket.localhost', '05 12 00 Steel joists', 'Attached.', {
      attachment: pdf,
    });
    const samReplyTo = await replyAddressFor(SAM, 'action-required');

    const forged = await send(`Sam Ortiz <${MALLORY}>`, samReplyTo, 'Re: review', 'REJECTED');
    expect(await mailTo(MALLORY)).toEqual([]);
    expect(await answerReasons(forged)).toEqual([
      `no answer sent: ${MALLORY} is not a member of project bsc nor involved in submittal 05 12 00-001.0`,
    ]);

    const byMember = await send(PAT, samReplyTo, 'Re: review', 'REJECTED');
    expect(await mailTo(PAT)).toEqual(['Not recorded as a decision: Re: review']);
    expect(await answerReasons(byMember)).toEqual([]);

    // Dana is no member, but the submittal is hers.
    await send(DANA, samReplyTo, 'Re: my review', 'REJECTED');
    expect(await mailTo(DANA)).toContain('Not recorded as a decision: Re: my review');
  });

  it('answers a reply to an address Docket never issued only when a member sent it', async () => {
    const token = signReplyToken('not-the-deployment-secret-not-the-secret', {
      kind: 'review',
      recordId: 1,
      revision: 0,
      step: 0,
      personId: 1,
      expiresAt: new Date(Date.now() + 86_400_000),
    });
    const address = replyAddress('bsc', token, 'docket.localhost');
    const forged = await send(OLGA, address, 'Rejected', 'REJECTED');
    expect(await mailTo(OLGA)).toEqual([]);
    expect(await answerReasons(forged)).toEqual([
      `no answer sent: ${OLGA} is not a member of project bsc`,
    ]);
    const before = (await mailTo(PAT)).length;
    await send(PAT, address, 'Rejected', 'REJECTED');
    expect((await mailTo(PAT)).slice(before)).toEqual(['Not recorded as a decision: Rejected']);
  });

  it('opens a stranger’s submittal without confirming it, even when they name themselves reviewer', async () => {
    const opened = await send(
      TREVOR,
      'bsc+submittal@docket.localhost',
      '09 91 00 Paint schedule',
      `Please review.\r\nReviewers: ${TREVOR}`,
      { attachment: pdf },
    );
    // Naming himself reviewer made him a member and sent him the review: neither is an answer, and
    // whether he may be answered was decided before the message changed anything.
    expect(await mailTo(TREVOR)).toEqual([
      expect.stringMatching(/^Action required: .*09 91 00-001/),
    ]);
    expect(await answerReasons(opened)).toEqual([
      `no answer sent: ${TREVOR} is not a member of project bsc`,
    ]);
    await send(PAT, 'bsc+submittal@docket.localhost', '09 91 00 Primer', 'Attached.', {
      attachment: pdf,
    });
    expect(await mailTo(PAT)).toContainEqual(
      expect.stringMatching(/^Received: submittal 09 91 00-002\.0 Primer/),
    );
  });

  it('answers a +transmittal only for a member, and an acknowledgement only for someone the transmittal involves', async () => {
    const empty = await send(OLGA, 'bsc+transmittal@docket.localhost', 'Drawings', 'See attached.');
    expect(await mailTo(OLGA)).toEqual([]);
    expect(await answerReasons(empty)).toEqual([
      `no answer sent: ${OLGA} is not a member of project bsc`,
    ]);
    const before = (await mailTo(PAT)).length;
    await send(PAT, 'bsc+transmittal@docket.localhost', 'Drawings', 'See attached.');
    expect((await mailTo(PAT)).slice(before)).toEqual(['Not sent as a transmittal: Drawings']);

    const raw = [
      `From: ${OLGA}`,
      `To: bsc+transmittal@docket.localhost, ${LEE}`,
      'Subject: Steel shop drawings',
      'Message-ID: <olga-tr@supplier.example>',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b"',
      '',
      '--b',
      'Content-Type: text/plain',
      '',
      'For review.',
      '--b',
      'Content-Type: application/pdf; name="s.pdf"',
      'Content-Disposition: attachment; filename="s.pdf"',
      '',
      '%PDF-1.4',
      '--b--',
      '',
    ].join('\r\n');
    await deliverAndFile(test, OLGA, 'bsc+transmittal@docket.localhost', raw);
    expect(await mailTo(LEE)).toEqual([expect.stringMatching(/^Transmittal TR-0001/)]);
    expect(await mailTo(OLGA)).toEqual([]);

    // A stranger's reply to Lee's acknowledgement address gets nothing; Olga sent the
    // transmittal, so she is told why hers did not count.
    const leeAck = await replyAddressFor(LEE, 'transmittal-issued');
    const forged = await send(MALLORY, leeAck, 'Re: Steel shop drawings', 'Received.');
    expect(await mailTo(MALLORY)).toEqual([]);
    expect(await answerReasons(forged)).toEqual([
      `no answer sent: ${MALLORY} is not a member of project bsc nor involved in transmittal TR-0001`,
    ]);
    await send(OLGA, leeAck, 'Re: Steel shop drawings', 'Received.');
    expect(await mailTo(OLGA)).toEqual([
      'Not recorded as an acknowledgement: Re: Steel shop drawings',
    ]);
  });

  it('does not confirm a stranger’s RFI, and answers replies to it only for the people it involves', async () => {
    const asked = await send(
      OLGA,
      'bsc+rfi@docket.localhost',
      'Anchor bolt spacing',
      'What spacing applies at grid C?',
      { headers: { Cc: SAM } },
    );
    expect(await mailTo(OLGA)).not.toContainEqual(expect.stringMatching(/^Received: RFI-001/));
    expect(await answerReasons(asked)).toEqual([
      `no answer sent: ${OLGA} is not a member of project bsc`,
    ]);
    const samReplyTo = await replyAddressFor(SAM, 'action-required');
    const forged = await send(`Sam <${MALLORY}>`, samReplyTo, 'Re: Anchor bolts', '600 mm.');
    expect(await answerReasons(forged)).toEqual([
      `no answer sent: ${MALLORY} is not a member of project bsc nor involved in item RFI-001`,
    ]);
    // Olga asked it: involved, so told why her own reply is not the answer.
    await send(OLGA, samReplyTo, 'Re: Anchor bolts', 'Any news?');
    expect(await mailTo(OLGA)).toContain('Not recorded as the answer: Re: Anchor bolts');
  });
});
