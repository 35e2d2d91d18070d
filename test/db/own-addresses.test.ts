import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replyAddress, signReplyToken, type ReplyTokenClaims } from '../../src/auth/reply-token.js';
import {
  nameOwnAddresses,
  type OwnAddressContext,
} from '../../src/correspondence/own-addresses.js';
import type { Project } from '../../src/db/database.js';
import { composeReply } from '../support/compose-reply.js';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from '../support/test-db.js';
import {
  DANA,
  MAIL_DOMAIN,
  SAM,
  createTowerA,
  receiveAt,
  reminderEnv,
  submitByMail,
} from './reminders-fixtures.js';

const LEE = 'lee@steel.example';
const AT = new Date('2026-11-02T10:00:00Z');

describe(`naming a project's own addresses, on ${testDatabaseKind}`, () => {
  let database: TestDatabase;
  let env: ReturnType<typeof reminderEnv>;
  let project: Project;
  let context: OwnAddressContext;
  /** The reply address Docket put on its mail of `kind` to `to`. */
  const issued = async (kind: string, to: string) => {
    const rows = await env.db
      .selectFrom('outbox')
      .select(['to_addresses', 'reply_to'])
      .where('kind', '=', kind)
      .execute();
    const address = rows.find((row) => row.to_addresses.includes(to))?.reply_to;
    if (!address) throw new Error(`no ${kind} to ${to} with a reply address`);
    return address;
  };
  const signed = (secret: string, claims: Partial<ReplyTokenClaims>) =>
    replyAddress(
      'twr-a',
      signReplyToken(secret, {
        kind: 'review',
        recordId: 1,
        revision: 0,
        step: 0,
        personId: 1,
        expiresAt: new Date(AT.getTime() + 86_400_000),
        ...claims,
      }),
      MAIL_DOMAIN,
    );

  beforeAll(async () => {
    database = await createTestDatabase();
    env = reminderEnv(database.db);
    project = await createTowerA(env.db, [[SAM]]);
    context = {
      projectId: project.id,
      code: 'twr-a',
      mailDomain: MAIL_DOMAIN,
      secret: env.records.secret,
    };
    await submitByMail(env, project, 'Concrete mix design', AT);
    for (const [sub, to] of [
      ['rfi', SAM],
      ['transmittal', LEE],
    ] as const) {
      const inbox = `twr-a+${sub}@${MAIL_DOMAIN}`;
      await receiveAt(
        env,
        project.id,
        {
          from: DANA,
          to: inbox,
          raw: composeReply({
            from: DANA,
            to: `${inbox}, ${to}`,
            subject: `Level 3 ${sub}`,
            messageId: `${sub}@contractor.example`,
            body: 'Which detail governs?',
            attachment: {
              filename: 'a.pdf',
              content: Buffer.from('%PDF-1.4\n%%EOF\n'),
              contentType: 'application/pdf',
            },
          }),
        },
        AT,
      );
    }
  });
  afterAll(() => database.destroy());

  it('names each reply address Docket issued by its record, in any letter case', async () => {
    const review = await issued('action-required', SAM);
    const ack = await issued('transmittal-issued', LEE);
    const rows = await env.db.selectFrom('outbox').select(['kind', 'reply_to']).execute();
    const rfi = rows.find((r) => r.kind === 'action-required' && r.reply_to !== review)?.reply_to;
    const names = await nameOwnAddresses(env.db, context, [review.toUpperCase(), ack, rfi!]);
    expect(Object.fromEntries(names)).toEqual({
      [review]: 'reply to 03 30 00-001.0 review',
      [ack]: 'reply to TR-0001 acknowledgement',
      [rfi!]: 'reply to RFI-001 answer',
    });
  });

  it('names an expired reply address too, and a resubmittal address by its revision', async () => {
    const submittal = await env.db.selectFrom('submittals').select('id').executeTakeFirstOrThrow();
    const expired = signed(env.records.secret!, {
      recordId: submittal.id,
      expiresAt: new Date('2020-01-02T00:00:00Z'),
    });
    const resubmit = signed(env.records.secret!, {
      kind: 'resubmit',
      recordId: submittal.id,
      revision: 1,
    });
    const names = await nameOwnAddresses(env.db, context, [expired, resubmit]);
    expect(names.get(expired)).toBe('reply to 03 30 00-001.0 review');
    expect(names.get(resubmit)).toBe('reply to 03 30 00-001.1 resubmittal');
  });

  it('never names a look-alike after a record', async () => {
    const forged = signed('another-secret-another-secret-another', { recordId: 1 });
    const missing = signed(env.records.secret!, { recordId: 99_999 });
    const names = await nameOwnAddresses(env.db, context, [forged, missing]);
    expect(names.get(forged)).toBe('reply address (not issued by Docket)');
    expect(names.get(missing)).toBe('reply address');
    const unsigned = await nameOwnAddresses(env.db, { ...context, secret: null }, [forged]);
    expect(unsigned.get(forged)).toBe('reply address');
  });

  it('names the inboxes and leaves every other address alone', async () => {
    const names = await nameOwnAddresses(env.db, context, [
      `twr-a@${MAIL_DOMAIN}`,
      `TWR-A+Submittal@${MAIL_DOMAIN}`,
      `twr-a+transmittal@${MAIL_DOMAIN}`,
      `twr-a+rfi@${MAIL_DOMAIN}`,
      `twr-a+notice@${MAIL_DOMAIN}`,
      `twr-a+anything@${MAIL_DOMAIN}`,
      `twr-b@${MAIL_DOMAIN}`,
      'twr-a@elsewhere.example',
      DANA,
    ]);
    expect(Object.fromEntries(names)).toEqual({
      [`twr-a@${MAIL_DOMAIN}`]: 'project inbox',
      [`twr-a+submittal@${MAIL_DOMAIN}`]: 'submittal inbox',
      [`twr-a+transmittal@${MAIL_DOMAIN}`]: 'transmittal inbox',
      [`twr-a+rfi@${MAIL_DOMAIN}`]: 'RFI inbox',
      [`twr-a+notice@${MAIL_DOMAIN}`]: 'notice inbox',
      [`twr-a+anything@${MAIL_DOMAIN}`]: '+anything inbox',
    });
  });
});
