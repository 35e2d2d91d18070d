import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addWorkingDays } from '../../src/calendar/working-days.js';
import {
  runCommand,
  type CommandInput,
  type CommandName,
} from '../../src/cli/commands/registry.js';
import type { Project } from '../../src/db/database.js';
import { closeItem } from '../../src/items/close-item.js';
import { listItems } from '../../src/items/item-log.js';
import { upsertMember } from '../../src/projects/member.repository.js';
import { projectCalendar } from '../../src/projects/project-calendar.js';
import { composeReply } from '../support/compose-reply.js';
import { SmtpSink, headerOf } from '../support/smtp-sink.js';
import { createTestProject, startTestService, type TestService } from '../support/test-service.js';
import { testDatabaseKind } from '../support/test-db.js';
import { deliverAndFile, replyAddressOf, sentTo, strictDmarcDns } from '../support/journey.js';

const DANA = 'dana@contractor.example';
const SAM = 'sam@architect.example';
const LEE = 'lee@engineer.example';
const MIA = 'mia@gc.example';
const OWEN = 'owen@owner.example';
const RITA = 'rita@architect.example';
const INBOX = 'twr-a+rfi@docket.localhost';
const pdf = (label: string) => Buffer.from(`%PDF-1.4\n% ${label}\n%%EOF\n`);

describe(`correspondence items over SMTP on ${testDatabaseKind}`, () => {
  let sink: SmtpSink;
  let test: TestService;
  let project: Project;
  beforeAll(async () => {
    sink = await SmtpSink.start();
    test = await startTestService({ SMTP_RELAY_URL: sink.url }, { dnsResolver: strictDmarcDns });
    project = await createTestProject(test.service, 'twr-a');
    // Dana asks the contractor's questions: a member, so Docket answers her.
    await upsertMember(test.service.db, { projectId: project.id, email: DANA });
  });
  afterAll(async () => {
    await test.stop();
    await sink.close();
  });

  const deliver = (from: string, to: string, raw: Buffer | string) =>
    deliverAndFile(test, from, to, raw);
  const item = (prefix: string, number: number, projectId = project.id) =>
    test.service.db
      .selectFrom('items')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('prefix', '=', prefix)
      .where('number', '=', number)
      .executeTakeFirstOrThrow();
  const filed = (messageId: string) =>
    test.service.db
      .selectFrom('messages')
      .select(['thread_id', 'filing_reasons'])
      .where('message_id', '=', messageId)
      .executeTakeFirstOrThrow();
  const replyTo = replyAddressOf;
  const to = sentTo;
  /** Dana mails a question to an item address; `to` is what her To: header shows. */
  const ask = (q: { id: string; subject: string; to: string; inbox?: string; text?: string }) =>
    deliver(
      DANA,
      q.inbox ?? INBOX,
      composeReply({
        from: `Dana Fields <${DANA}>`,
        to: q.to,
        subject: q.subject,
        messageId: `${q.id}@contractor.example`,
        body: `${q.text ?? `${q.subject}: which one governs?`}\r\n\r\n-- \r\nDana Fields`,
        attachment: { filename: 'sketch.pdf', content: pdf(q.id), contentType: 'application/pdf' },
      }),
    );
  /** Runs a `docket` command against the service's database and returns what it printed. */
  const docket = async <N extends CommandName>(name: N, input: CommandInput<N>) => {
    const lines: string[] = [];
    const io = {
      out: (text: string) => void lines.push(text),
      progress: () => ({ tick: () => undefined, stop: () => undefined }),
    };
    const { db, blobs, config, filing } = test.service;
    await runCommand(name, { db, blobs, config, filing, io }, input);
    return lines.join('\n');
  };

  it('opens RFI-001, asks the addressee, and counts only their own reply as the answer', async () => {
    await ask({
      id: 'rfi-1',
      subject: 'Fwd: Door hardware at level 2',
      to: `${INBOX}, Sam Ortiz <${SAM}>`,
      text: 'Which hinge set applies to doors 2.14 to 2.20?',
    });
    const opened = await item('RFI', 1);
    expect(opened).toMatchObject({
      subject: 'Door hardware at level 2',
      question: 'Which hinge set applies to doors 2.14 to 2.20?',
      asker: DANA,
      asker_name: 'Dana Fields',
      status: 'open',
      ball_in_court: [SAM],
    });
    // Seven project working days after the day it arrived, whenever the test runs.
    expect(opened.due_at).toEqual(
      addWorkingDays(projectCalendar(project), opened.created_at, project.rfi_days),
    );

    const ack = await sink.waitFor(
      to(DANA, /^Received: RFI-001 Door hardware at level 2$/),
      'acknowledging the RFI',
    );
    expect(ack.parsed.text).toContain(SAM);
    const action = await sink.waitFor(
      to(SAM, /^Action required: RFI-001 Door hardware at level 2 by /),
      'asking Sam the question',
    );
    expect(action.parsed.text).toContain('Which hinge set applies to doors 2.14 to 2.20?');
    expect(action.parsed.attachments.map((a) => a.filename)).toEqual(['sketch.pdf']);
    expect(headerOf(action, 'auto-submitted')).toBe('auto-generated');
    expect(replyTo(action)).toMatch(/^twr-a\+r-[a-z2-7]+@docket\.localhost$/);
    expect(action.parsed.messageId).toMatch(/twr-a\.rfi-001\.action-required\./);

    // Sam's out-of-office, sent to his own reply address: logged, never the answer, never answered.
    await deliver(
      SAM,
      replyTo(action),
      composeReply({
        from: SAM,
        to: replyTo(action),
        subject: `Automatic reply: ${action.parsed.subject}`,
        messageId: 'ooo-1@architect.example',
        headers: { 'Auto-Submitted': 'auto-replied' },
        body: 'I am out of the office until Monday.',
      }),
    );
    expect((await filed('ooo-1@architect.example')).filing_reasons).toContainEqual({
      rule: 'item-reply',
      detail: 'filed as a comment: the message is an automatic reply',
    });

    // Lee answers in Sam's place: a comment. RFI-001 does not involve him and he is no member (his
    // address could be forged), so he is not told; the message keeps why.
    await deliver(
      LEE,
      replyTo(action),
      composeReply({
        from: LEE,
        to: replyTo(action),
        subject: `Re: ${action.parsed.subject}`,
        messageId: 'lee-1@engineer.example',
        body: 'I think it is hinge set 4.',
      }),
    );
    expect((await filed('lee-1@engineer.example')).filing_reasons).toEqual(
      expect.arrayContaining([
        {
          rule: 'item-reply',
          detail: `filed as a comment: the message is from ${LEE}, but this reply address belongs to ${SAM}`,
        },
        {
          rule: 'answer',
          detail: `no answer sent: ${LEE} is not a member of project twr-a nor involved in item RFI-001`,
        },
      ]),
    );
    const toLee = await test.service.db.selectFrom('outbox').select('to_addresses').execute();
    expect(toLee.flatMap((row) => row.to_addresses)).not.toContain(LEE);
    expect(await item('RFI', 1)).toMatchObject({
      status: 'open',
      answer: null,
      ball_in_court: [SAM],
    });

    await deliver(
      SAM,
      replyTo(action),
      composeReply({
        from: `Sam Ortiz <${SAM}>`,
        to: replyTo(action),
        subject: `Re: ${action.parsed.subject}`,
        inReplyTo: action.parsed.messageId?.slice(1, -1),
        messageId: 'sam-1@architect.example',
        body: 'Use hinge set HW-4 for doors 2.14 to 2.20.\r\n\r\n> ##- Please type your reply above this line -##\r\n> Which hinge set applies?',
        attachment: { filename: 'hw-4.pdf', content: pdf('hw-4'), contentType: 'application/pdf' },
      }),
    );
    const answer = await sink.waitFor(
      to(DANA, /^Answered: RFI-001 Door hardware at level 2$/),
      'sending Dana the answer',
    );
    expect(answer.parsed.text).toContain('Use hinge set HW-4 for doors 2.14 to 2.20.');
    expect(answer.parsed.attachments.map((a) => a.filename)).toEqual(['hw-4.pdf']);
    const answered = await item('RFI', 1);
    expect(answered).toMatchObject({
      status: 'answered',
      answer: 'Use hinge set HW-4 for doors 2.14 to 2.20.',
      answered_by: SAM,
      ball_in_court: [DANA],
    });
    expect((await filed('sam-1@architect.example')).thread_id).toBe(answered.thread_id);
    // The out-of-office went unanswered: no mail of any kind to Sam after his question.
    const outbox = await test.service.db
      .selectFrom('outbox')
      .select(['kind', 'to_addresses'])
      .where('project_id', '=', project.id)
      .orderBy('id')
      .execute();
    expect(outbox.filter((m) => m.to_addresses.includes(SAM)).map((m) => m.kind)).toEqual([
      'action-required',
    ]);

    const closed = await closeItem(test.service.db, 'twr-a', 'RFI-001', MIA, new Date());
    expect(closed).toMatchObject({ status: 'closed', ball_in_court: [] });
    expect(closed.closed_at).toBeInstanceOf(Date);
    await expect(closeItem(test.service.db, 'twr-a', 'rfi-1', MIA, new Date())).rejects.toThrow(
      /already closed/,
    );
    const trail = await test.service.db
      .selectFrom('audit_events')
      .select(['action', 'actor'])
      .where('project_id', '=', project.id)
      .where('record_type', '=', 'item')
      .where('record_id', '=', closed.id)
      .orderBy('id')
      .execute();
    expect(trail).toEqual([
      { action: 'opened', actor: DANA },
      { action: 'reply-filed-as-comment', actor: SAM },
      { action: 'reply-filed-as-comment', actor: LEE },
      { action: 'answered', actor: SAM },
      { action: 'ball-moved', actor: SAM },
      { action: 'closed', actor: MIA },
    ]);
  });

  it('numbers per type, falls back to the managers, and honours the RFI manager', async () => {
    await upsertMember(test.service.db, { projectId: project.id, email: MIA, role: 'manager' });
    await ask({ id: 'rfi-2', subject: 'Slab edge at grid C', to: INBOX });
    expect(await item('RFI', 2)).toMatchObject({
      subject: 'Slab edge at grid C',
      ball_in_court: [MIA],
    });
    await sink.waitFor(to(MIA, /^Action required: RFI-002 Slab edge at grid C by /), 'asking Mia');

    const notices = 'twr-a+notice@docket.localhost';
    await ask({
      id: 'not-1',
      subject: 'Notice of delay: steel delivery',
      to: `${notices}, ${OWEN}`,
      inbox: notices,
    });
    const notice = await item('NOT', 1);
    expect(notice).toMatchObject({
      subject: 'Notice of delay: steel delivery',
      due_at: null,
      ball_in_court: [OWEN],
    });
    await sink.waitFor(
      to(DANA, /^Received: NOT-001 Notice of delay: steel delivery$/),
      'acknowledging the notice',
    );
    const ownerAsked = await sink.waitFor(to(OWEN, /^Action required: NOT-001 /), 'asking Owen');
    expect(ownerAsked.parsed.subject).not.toContain(' by ');

    await test.service.db
      .updateTable('projects')
      .set({ rfi_manager: RITA })
      .where('id', '=', project.id)
      .execute();
    await ask({ id: 'rfi-3', subject: 'Embed plates', to: `${INBOX}, ${SAM}` });
    expect(await item('RFI', 3)).toMatchObject({ ball_in_court: [RITA] });

    const rfis = await docket('items', { code: 'twr-a', type: 'RFI' });
    expect(rfis.split('\n').map((line) => line.split('  ')[0])).toEqual([
      'RFI-001',
      'RFI-002',
      'RFI-003',
    ]);
    expect(rfis).toMatch(
      /^RFI-002 {2}Slab edge at grid C {2}OPEN {2}from: dana@contractor\.example {2}ball: mia@gc\.example {2}due /m,
    );

    expect(await docket('item close', { code: 'twr-a', number: 'not-1' })).toBe(
      'Closed NOT-001 Notice of delay: steel delivery.',
    );
    expect(await item('NOT', 1)).toMatchObject({ status: 'closed', ball_in_court: [] });

    // Overdue is judged at the instant asked for, never the clock: only open RFIs past due are late.
    const due = [await item('RFI', 2), await item('RFI', 3)].map((i) => i.due_at?.getTime() ?? 0);
    const overdue = async (at: number) =>
      (await listItems(test.service.db, project, new Date(at))).map((i) => [i.number, i.overdue]);
    expect(await overdue(Math.min(...due) - 1)).toEqual([
      ['NOT-001', false],
      ['RFI-001', false],
      ['RFI-002', false],
      ['RFI-003', false],
    ]);
    expect(await overdue(Math.max(...due) + 1)).toEqual([
      ['NOT-001', false],
      ['RFI-001', false],
      ['RFI-002', true],
      ['RFI-003', true],
    ]);
  });

  it('refuses an answer without DMARC or aligned DKIM where the project requires it', async () => {
    const strict = await createTestProject(test.service, 'strict');
    await test.service.db
      .updateTable('projects')
      .set({ require_dmarc: true })
      .where('id', '=', strict.id)
      .execute();
    const inbox = 'strict+rfi@docket.localhost';
    await ask({
      id: 'strict-1',
      subject: 'Fire stopping at risers',
      to: `${inbox}, ${SAM}`,
      inbox,
    });
    const action = await sink.waitFor(
      to(SAM, /^Action required: RFI-001 Fire stopping at risers/),
      'asking Sam on the strict project',
    );
    // Sam's domain allows only 192.0.2.10 and signs nothing; this reply comes from loopback.
    await deliver(
      SAM,
      replyTo(action),
      composeReply({
        from: SAM,
        to: replyTo(action),
        subject: `Re: ${action.parsed.subject}`,
        messageId: 'strict-sam-1@architect.example',
        body: 'Use the listed system FS-2.',
      }),
    );
    const told = await sink.waitFor(
      to(SAM, /^Not recorded as the answer: /),
      'telling Sam his unauthenticated reply did not count',
    );
    expect(told.parsed.text).toContain('requires DMARC or aligned DKIM');
    expect(await item('RFI', 1, strict.id)).toMatchObject({
      status: 'open',
      answer: null,
      ball_in_court: [SAM],
    });
  });
});
