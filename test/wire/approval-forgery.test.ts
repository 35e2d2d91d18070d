import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replyAddress, signReplyToken } from '../../src/auth/reply-token.js';
import { saveWorkflow } from '../../src/submittals/workflow.repository.js';
import { composeReply } from '../support/compose-reply.js';
import { SmtpSink } from '../support/smtp-sink.js';
import { createTestProject, startTestService, type TestService } from '../support/test-service.js';
import { testDatabaseKind } from '../support/test-db.js';
import { deliverAndFile, replyAddressOf, strictDmarcDns } from '../support/journey.js';

const DANA = 'dana@contractor.example';
const SAM = 'sam@architect.example';
const LEE = 'lee@engineer.example';
const SECRET = 'test-secret-test-secret-test-secret-0123';

describe(`approvals that hold up, on ${testDatabaseKind}`, () => {
  let sink: SmtpSink;
  let test: TestService;
  let seq = 0;
  beforeAll(async () => {
    sink = await SmtpSink.start();
    test = await startTestService(
      { SMTP_RELAY_URL: sink.url, DOCKET_SECRET: SECRET },
      { dnsResolver: strictDmarcDns },
    );
    const plain = await createTestProject(test.service, 'frg');
    await saveWorkflow(test.service.db, {
      projectId: plain.id,
      name: 'Parallel',
      specPrefix: null,
      steps: [[SAM, LEE]],
    });
    const strict = await createTestProject(test.service, 'strict');
    await test.service.db
      .updateTable('projects')
      .set({ require_dmarc: true })
      .where('id', '=', strict.id)
      .execute();
    await saveWorkflow(test.service.db, {
      projectId: strict.id,
      name: 'Single',
      specPrefix: null,
      steps: [[SAM]],
    });
  });
  afterAll(async () => {
    await test.stop();
    await sink.close();
  });

  const deliver = (from: string, to: string, raw: Buffer | string) =>
    deliverAndFile(test, from, to, raw);
  const replyTo = replyAddressOf;

  /** Submits a fresh submittal and returns Sam's "Action required" and the submittal's state. */
  async function openSubmittal(code: string) {
    const title = `Forgery case ${++seq}`;
    await deliver(
      DANA,
      `${code}+submittal@docket.localhost`,
      composeReply({
        from: DANA,
        to: `${code}+submittal@docket.localhost`,
        subject: `05 12 00 ${title}`,
        messageId: `case-${seq}@contractor.example`,
        body: 'Attached.',
        attachment: {
          filename: 'steel.pdf',
          content: Buffer.from(`%PDF-1.4 ${seq}`),
          contentType: 'application/pdf',
        },
      }),
    );
    const action = await sink.waitFor(
      (m) => m.envelopeTo.includes(SAM) && (m.parsed.subject ?? '').includes(title),
      `Action required for ${title}`,
    );
    const row = await test.service.db
      .selectFrom('submittals')
      .selectAll()
      .where('title', '=', title)
      .executeTakeFirstOrThrow();
    return { action, row, title };
  }
  const state = async (id: number) => {
    const s = await test.service.db
      .selectFrom('submittals')
      .select(['status', 'decision', 'ball_in_court'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    const answered = await test.service.db
      .selectFrom('review_steps')
      .select(['reviewer', 'decision'])
      .where('submittal_id', '=', id)
      .where('state', '=', 'answered')
      .execute();
    return { ...s, answered };
  };
  const lastRefusal = async (id: number) => {
    const event = await test.service.db
      .selectFrom('audit_events')
      .select('details')
      .where('record_id', '=', id)
      .where('action', '=', 'reply-filed-as-comment')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    return (event.details as { reason: string }).reason;
  };

  it('refuses a forged From with a valid token', async () => {
    const { action, row } = await openSubmittal('frg');
    const before = await state(row.id);
    await deliver(
      'mallory@evil.example',
      replyTo(action),
      composeReply({
        from: 'Sam Ortiz <mallory@evil.example>',
        to: replyTo(action),
        subject: 'Re: review',
        messageId: 'forged-1@evil.example',
        body: 'APPROVED',
      }),
    );
    expect(await state(row.id)).toEqual(before);
    expect(await lastRefusal(row.id)).toContain('belongs to sam@architect.example');
    // Mallory is no member and the submittal does not involve her: she is not answered (the
    // From she wrote could be anyone's), and the message keeps why.
    const filed = await test.service.db
      .selectFrom('messages')
      .select('filing_reasons')
      .where('message_id', '=', 'forged-1@evil.example')
      .executeTakeFirstOrThrow();
    const answer = filed.filing_reasons.filter((r) => r.rule === 'answer').map((r) => r.detail);
    expect(answer).toEqual([
      `no answer sent: mallory@evil.example is not a member of project frg nor involved in submittal 05 12 00-${String(row.seq).padStart(3, '0')}.0`,
    ]);
    const outbox = await test.service.db.selectFrom('outbox').select('to_addresses').execute();
    expect(outbox.flatMap((row) => row.to_addresses)).not.toContain('mallory@evil.example');
  });

  it('refuses a token bound to another reviewer', async () => {
    const { action, row } = await openSubmittal('frg');
    const before = await state(row.id);
    await deliver(
      LEE,
      replyTo(action),
      composeReply({
        from: LEE,
        to: replyTo(action),
        subject: 'Re: review',
        messageId: 'lee-wrong-token@engineer.example',
        body: 'REJECTED',
      }),
    );
    expect(await state(row.id)).toEqual(before);
    expect(await lastRefusal(row.id)).toContain(`the message is from ${LEE}`);
  });

  it('refuses a reused token', async () => {
    const { action, row } = await openSubmittal('frg');
    await deliver(
      SAM,
      replyTo(action),
      composeReply({
        from: SAM,
        to: replyTo(action),
        subject: 'Re: review',
        messageId: `sam-first-${row.id}@architect.example`,
        body: 'Approved.',
      }),
    );
    const after = await state(row.id);
    expect(after.answered).toEqual([{ reviewer: SAM, decision: 'APPROVED' }]);
    await deliver(
      SAM,
      replyTo(action),
      composeReply({
        from: SAM,
        to: replyTo(action),
        subject: 'Re: review',
        messageId: `sam-again-${row.id}@architect.example`,
        body: 'REJECTED',
      }),
    );
    expect(await state(row.id)).toEqual(after);
    expect(await lastRefusal(row.id)).toContain('already used');
  });

  it('refuses an expired token', async () => {
    const { row } = await openSubmittal('frg');
    const before = await state(row.id);
    const step = await test.service.db
      .selectFrom('review_steps')
      .select(['member_id', 'revision', 'step'])
      .where('submittal_id', '=', row.id)
      .where('reviewer', '=', SAM)
      .executeTakeFirstOrThrow();
    const token = signReplyToken(SECRET, {
      kind: 'review',
      recordId: row.id,
      revision: step.revision,
      step: step.step,
      personId: step.member_id ?? 0,
      expiresAt: new Date(Date.now() - 3 * 86_400_000),
    });
    const address = replyAddress('frg', token, 'docket.localhost');
    await deliver(
      SAM,
      address,
      composeReply({
        from: SAM,
        to: address,
        subject: 'Re: review',
        messageId: `sam-expired-${row.id}@architect.example`,
        body: 'APPROVED',
      }),
    );
    expect(await state(row.id)).toEqual(before);
    const told = await sink.waitFor(
      (m) =>
        m.envelopeTo.includes(SAM) &&
        /^Not recorded/.test(m.parsed.subject ?? '') &&
        (m.parsed.text ?? '').includes('expired'),
      'telling Sam the address expired',
    );
    expect(told.parsed.text).toContain('the reply address has expired');
  });

  it('does not count an out-of-office reply, and does not answer it', async () => {
    const { action, row } = await openSubmittal('frg');
    const before = await state(row.id);
    const outgoing = sink.messages.length;
    await deliver(
      SAM,
      replyTo(action),
      composeReply({
        from: SAM,
        to: replyTo(action),
        subject: `Automatic reply: ${action.parsed.subject ?? ''}`,
        messageId: `sam-ooo-${row.id}@architect.example`,
        headers: { 'Auto-Submitted': 'auto-replied' },
        body: 'APPROVED\r\nI am out of the office until Monday.',
      }),
    );
    expect(await state(row.id)).toEqual(before);
    expect(await lastRefusal(row.id)).toBe('the message is an automatic reply');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(sink.messages.slice(outgoing).filter((m) => m.envelopeTo.includes(SAM))).toEqual([]);
  });

  it('ignores a decision without a token from a non-member', async () => {
    const { action, row } = await openSubmittal('frg');
    const before = await state(row.id);
    await deliver(
      'stranger@elsewhere.example',
      'frg@docket.localhost',
      composeReply({
        from: 'stranger@elsewhere.example',
        to: 'frg@docket.localhost',
        subject: `Re: ${action.parsed.subject ?? ''}`,
        inReplyTo: action.parsed.messageId?.slice(1, -1),
        messageId: 'stranger-1@elsewhere.example',
        body: 'APPROVED',
      }),
    );
    expect(await state(row.id)).toEqual(before);
    const filed = await test.service.db
      .selectFrom('messages')
      .select('thread_id')
      .where('message_id', '=', 'stranger-1@elsewhere.example')
      .executeTakeFirstOrThrow();
    expect(filed.thread_id).toBe(row.thread_id);
  });

  it('refuses a decision that fails DMARC where the project requires it', async () => {
    const { action, row } = await openSubmittal('strict');
    const before = await state(row.id);
    await deliver(
      SAM,
      replyTo(action),
      composeReply({
        from: SAM,
        to: replyTo(action),
        subject: 'Re: review',
        messageId: `sam-dmarc-${row.id}@architect.example`,
        body: 'APPROVED',
      }),
    );
    expect(await state(row.id)).toEqual(before);
    expect(await lastRefusal(row.id)).toMatch(/requires DMARC or aligned DKIM/);
    const event = await test.service.db
      .selectFrom('audit_events')
      .select('details')
      .where('record_id', '=', row.id)
      .where('action', '=', 'reply-filed-as-comment')
      .executeTakeFirstOrThrow();
    expect((event.details as { authenticationSummary: string }).authenticationSummary).toMatch(
      /dmarc=fail/i,
    );
  });
});
