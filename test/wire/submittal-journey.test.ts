import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertMember } from '../../src/projects/member.repository.js';
import { saveWorkflow } from '../../src/submittals/workflow.repository.js';
import { composeReply } from '../support/compose-reply.js';
import { SmtpSink, headerOf } from '../support/smtp-sink.js';
import { createTestProject, startTestService, type TestService } from '../support/test-service.js';
import { testDatabaseKind } from '../support/test-db.js';
import { deliverAndFile, replyAddressOf, sentTo } from '../support/journey.js';

const DANA = 'dana@contractor.example';
const SAM = 'sam@architect.example';
const OWEN = 'owen@owner.example';
const pdf = (label: string) => Buffer.from(`%PDF-1.4\n% ${label}\n%%EOF\n`);

// Both blob stores: with the database store, notifications read attachments recorded in the still
// open filing transaction.
describe.each(['files', 'database'])(
  `submittal journeys over SMTP on ${testDatabaseKind}, %s blob store`,
  (blobStore) => {
    let sink: SmtpSink;
    let test: TestService;
    let projectId: number;
    beforeAll(async () => {
      sink = await SmtpSink.start();
      test = await startTestService({ SMTP_RELAY_URL: sink.url, BLOB_STORE: blobStore });
      projectId = (await createTestProject(test.service, 'twr-a')).id;
      // Dana coordinates the contractor's submittals: a member, so Docket answers her.
      await upsertMember(test.service.db, { projectId, email: DANA });
      await saveWorkflow(test.service.db, {
        projectId,
        name: 'Default',
        specPrefix: null,
        steps: [[SAM], [OWEN]],
      });
    });
    afterAll(async () => {
      await test.stop();
      await sink.close();
    });

    const deliver = (from: string, to: string, raw: Buffer | string) =>
      deliverAndFile(test, from, to, raw);
    const submittal = (seq: number) =>
      test.service.db
        .selectFrom('submittals')
        .selectAll()
        .where('project_id', '=', projectId)
        .where('seq', '=', seq)
        .executeTakeFirstOrThrow();
    const replyTo = replyAddressOf;
    const to = sentTo;

    it('runs submit → step 1 → step 2 → decision, with acknowledgements and the audit trail', async () => {
      await deliver(
        DANA,
        'twr-a+submittal@docket.localhost',
        composeReply({
          from: `Dana Fields <${DANA}>`,
          to: 'twr-a+submittal@docket.localhost',
          subject: '03 30 00 Concrete mix design',
          messageId: 'sub-1@contractor.example',
          body: 'Type: Product Data\r\n\r\nMix design attached.',
          attachment: {
            filename: 'mix-design.pdf',
            content: pdf('mix'),
            contentType: 'application/pdf',
          },
        }),
      );
      const ack = await sink.waitFor(
        to(DANA, /^Received: submittal 03 30 00-001\.0/),
        'acknowledging the submittal',
      );
      expect(ack.parsed.text).toContain('Concrete mix design');
      const action = await sink.waitFor(
        to(SAM, /^Action required: review submittal 03 30 00-001\.0/),
        'asking Sam to review',
      );
      expect(headerOf(action, 'auto-submitted')).toBe('auto-generated');
      expect(action.parsed.attachments.map((a) => a.filename)).toEqual(['mix-design.pdf']);
      expect(replyTo(action)).toMatch(/^twr-a\+r-[a-z2-7]+@docket\.localhost$/);
      expect(action.parsed.messageId).toMatch(/twr-a\.03-30-00-001\.0\.action-required\./);
      expect((await submittal(1)).ball_in_court).toEqual([SAM]);

      await deliver(
        SAM,
        replyTo(action),
        composeReply({
          from: `Sam Ortiz <${SAM}>`,
          to: replyTo(action),
          subject: `Re: ${action.parsed.subject}`,
          inReplyTo: action.parsed.messageId?.slice(1, -1),
          messageId: 'sam-1@architect.example',
          body: 'Approved as noted - see markups.\r\n\r\nUse 30 MPa at the podium.\r\n\r\n> ##- Please type your reply above this line -##',
          attachment: {
            filename: 'mix-design-markup.pdf',
            content: pdf('markup'),
            contentType: 'application/pdf',
          },
        }),
      );
      await sink.waitFor(
        to(SAM, /^Recorded: APPROVED AS NOTED on submittal 03 30 00-001\.0/),
        "confirming Sam's decision",
      );
      const second = await sink.waitFor(
        to(OWEN, /^Action required: review submittal 03 30 00-001\.0/),
        'asking Owen to review',
      );
      expect(second.parsed.attachments.map((a) => a.filename).sort()).toEqual([
        'mix-design-markup.pdf',
        'mix-design.pdf',
      ]);
      expect((await submittal(1)).ball_in_court).toEqual([OWEN]);

      await deliver(
        OWEN,
        replyTo(second),
        composeReply({
          from: OWEN,
          to: replyTo(second),
          subject: 'My review',
          messageId: 'owen-1@owner.example',
          body: 'APPROVED',
        }),
      );
      const decision = await sink.waitFor(
        to(DANA, /^APPROVED: submittal 03 30 00-001\.0/),
        'telling Dana the decision',
      );
      expect(decision.parsed.text).toContain('Use 30 MPa at the podium.');
      // Owen's client dropped In-Reply-To and the subject: the reply address alone puts it in the
      // submittal's thread.
      const owenReply = await test.service.db
        .selectFrom('messages')
        .select(['thread_id', 'filing_reasons'])
        .where('message_id', '=', 'owen-1@owner.example')
        .executeTakeFirstOrThrow();
      expect(owenReply.thread_id).toBe((await submittal(1)).thread_id);
      expect(owenReply.filing_reasons.map((r) => r.rule)).toContain('reply-token');
      // The final step's decision is the submittal's; earlier steps' notes travel with it.
      const closed = await submittal(1);
      expect(closed).toMatchObject({
        status: 'closed',
        decision: 'APPROVED',
        ball_in_court: [],
      });

      const trail = await test.service.db
        .selectFrom('audit_events')
        .select(['action', 'actor', 'details'])
        .where('project_id', '=', projectId)
        .where('record_id', '=', closed.id)
        .orderBy('id')
        .execute();
      expect(trail.map((e) => e.action)).toEqual([
        'submitted',
        'decision',
        'ball-moved',
        'decision',
        'closed',
      ]);
      const samDecision = trail[1]?.details as {
        rawSha256: string;
        token: { kind: string; personId: number };
      };
      expect(samDecision.rawSha256).toMatch(/^[0-9a-f]{64}$/);
      expect(samDecision.token.kind).toBe('review');
    });

    it('returns R&R to the submitter, whose reply with new documents opens revision .1', async () => {
      await deliver(
        DANA,
        'twr-a+submittal@docket.localhost',
        composeReply({
          from: DANA,
          to: 'twr-a+submittal@docket.localhost',
          subject: '03 30 00 Formwork shop drawings',
          messageId: 'sub-2@contractor.example',
          body: 'Type: Shop Drawing',
          attachment: {
            filename: 'formwork.pdf',
            content: pdf('formwork'),
            contentType: 'application/pdf',
          },
        }),
      );
      const action = await sink.waitFor(
        to(SAM, /^Action required: review submittal 03 30 00-002\.0/),
        'asking Sam to review .0',
      );
      await deliver(
        SAM,
        replyTo(action),
        composeReply({
          from: SAM,
          to: replyTo(action),
          subject: 'Re: formwork',
          messageId: 'sam-2@architect.example',
          body: 'R&R\r\nTies at 600 centres, not 900.',
        }),
      );
      const returned = await sink.waitFor(
        to(DANA, /^REVISE AND RESUBMIT: submittal 03 30 00-002\.0/),
        'returning the submittal to Dana',
      );
      expect(await submittal(2)).toMatchObject({
        ball_in_court: [DANA],
        issued_at: expect.any(Date) as Date,
      });

      await deliver(
        DANA,
        replyTo(returned),
        composeReply({
          from: DANA,
          to: replyTo(returned),
          subject: `Re: ${returned.parsed.subject}`,
          messageId: 'sub-2-r1@contractor.example',
          body: 'Revised drawings attached.',
          attachment: {
            filename: 'formwork-rev1.pdf',
            content: pdf('formwork rev 1'),
            contentType: 'application/pdf',
          },
        }),
      );
      const again = await sink.waitFor(
        to(SAM, /^Action required: review submittal 03 30 00-002\.1/),
        'asking Sam to review .1',
      );
      expect(again.parsed.attachments.map((a) => a.filename)).toEqual(['formwork-rev1.pdf']);
      // Revision .1 is in review: nothing of it has been issued yet.
      expect(await submittal(2)).toMatchObject({
        revision: 1,
        status: 'open',
        decision: null,
        issued_at: null,
        ball_in_court: [SAM],
      });

      // Rejected again; this time Dana sends a new +submittal naming the number: revision .2.
      await deliver(
        SAM,
        replyTo(again),
        composeReply({
          from: SAM,
          to: replyTo(again),
          subject: 'Re: formwork .1',
          messageId: 'sam-3@architect.example',
          body: 'REJECTED - wrong tie system.',
        }),
      );
      await sink.waitFor(
        to(DANA, /^REJECTED: submittal 03 30 00-002\.1/),
        'returning revision .1 to Dana',
      );
      await deliver(
        DANA,
        'twr-a+submittal@docket.localhost',
        composeReply({
          from: DANA,
          to: 'twr-a+submittal@docket.localhost',
          subject: '03 30 00-002 Formwork shop drawings, new tie system',
          messageId: 'sub-2-r2@contractor.example',
          body: 'Second revision.',
          attachment: {
            filename: 'formwork-rev2.pdf',
            content: pdf('formwork rev 2'),
            contentType: 'application/pdf',
          },
        }),
      );
      await sink.waitFor(
        to(SAM, /^Action required: review submittal 03 30 00-002\.2/),
        'asking Sam to review .2',
      );
      expect(await submittal(2)).toMatchObject({ revision: 2, ball_in_court: [SAM] });
    });

    it('files an unreadable decision as a comment, keeps the ball and lists the responses', async () => {
      await deliver(
        DANA,
        'twr-a+submittal@docket.localhost',
        composeReply({
          from: DANA,
          to: 'twr-a+submittal@docket.localhost',
          subject: '03 30 00 Curing compound',
          messageId: 'sub-3@contractor.example',
          body: 'Type: Product Data',
          attachment: {
            filename: 'curing.pdf',
            content: pdf('curing'),
            contentType: 'application/pdf',
          },
        }),
      );
      const action = await sink.waitFor(
        to(SAM, /^Action required: review submittal 03 30 00-003\.0/),
        'asking Sam to review',
      );
      await deliver(
        SAM,
        replyTo(action),
        composeReply({
          from: SAM,
          to: replyTo(action),
          subject: 'Re: curing',
          messageId: 'sam-unclear@architect.example',
          body: 'Looks fine to me, but check with Owen.',
        }),
      );
      const told = await sink.waitFor(
        to(SAM, /^Not recorded as a decision/),
        'telling Sam the reply was not a decision',
      );
      expect(told.parsed.text).toContain('APPROVED AS NOTED (or MAKE CORRECTIONS NOTED, AAN)');
      expect(await submittal(3)).toMatchObject({ status: 'open', ball_in_court: [SAM] });
      // Our notifications are filed in the submittal's thread like any other message.
      const thread = await test.service.db
        .selectFrom('messages')
        .select(['subject', 'flags'])
        .where('thread_id', '=', (await submittal(3)).thread_id)
        .orderBy('id')
        .execute();
      expect(thread.map((m) => m.subject)).toEqual(
        expect.arrayContaining([
          '03 30 00 Curing compound',
          expect.stringMatching(/^Action required: review submittal 03 30 00-003\.0/),
          expect.stringMatching(/^Received: submittal 03 30 00-003\.0/),
          'Re: curing',
        ]),
      );
    });
  },
);
