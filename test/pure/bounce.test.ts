import { describe, expect, it } from 'vitest';

import { classifyAutomated } from '../../src/mail/auto-reply.js';
import { detectBounce } from '../../src/mail/bounce.js';
import type { MailAddress } from '../../src/mail/parsed-mail.js';
import { fixture } from '../support/fixtures.js';
import { crudeMail } from './crude-mime.js';

const DAEMON: MailAddress = { address: 'mailer-daemon@mx.example', name: 'Mail Delivery System' };
const PERSON: MailAddress = { address: 'jane@architect.example', name: 'Jane Roe' };
const REPORT = { value: 'multipart/report', params: { 'report-type': 'delivery-status' } };
const PLAIN = { value: 'text/plain', params: {} };

function mail(parts: {
  subject?: string;
  from?: MailAddress | null;
  deliveryStatus?: string | null;
  text?: string | null;
  report?: boolean;
}) {
  return {
    headers: new Map<string, string[]>(),
    subject: parts.subject ?? 'Delivery Status Notification (Failure)',
    from: parts.from === undefined ? DAEMON : parts.from,
    rootContentType: parts.report === false ? PLAIN : REPORT,
    deliveryStatus: parts.deliveryStatus ?? null,
    text: parts.text ?? null,
  };
}

const PER_MESSAGE = `Reporting-MTA: dns; mx1.contractor.example
X-Postfix-Queue-ID: 4F1A2B3C4D
Arrival-Date: Tue, 14 May 2024 09:12:03 +0200 (CEST)
`;

describe('detectBounce — RFC 3464 reports', () => {
  // Amazon SES's report keeps the per-recipient fields after a blank line, in its own order, and a
  // Diagnostic-Code without a diagnostic type.
  const sesReport = () => crudeMail(fixture('ses-suppressed-bounce.eml').toString('utf8'));

  it('an Amazon SES report (suppression list) is a hard bounce', () => {
    const { recipients, ...verdict } = detectBounce(sesReport(), '');
    expect(verdict).toEqual({
      isBounce: true,
      kind: 'hard',
      reasons: [
        'multipart/report; report-type=delivery-status',
        'delivery status report: former.pm@gc.example failed 5.1.1',
      ],
    });
    expect(recipients.map((r) => [r.recipient, r.action, r.status])).toEqual([
      ['former.pm@gc.example', 'failed', '5.1.1'],
    ]);
    expect(recipients[0]?.diagnostic).toMatch(
      /^Amazon SES did not send the message to this address because it is on the suppression list.*to remove it\.$/,
    );
  });

  it('the same report is automated and bulk (MAILER-DAEMON, report, Feedback-ID)', () => {
    expect(classifyAutomated(sesReport(), '')).toEqual({
      autoReply: true,
      list: false,
      bulk: true,
      reasons: [
        'Content-Type: multipart/report; report-type=delivery-status',
        'null envelope sender (MAIL FROM:<>)',
        'sent by a mail system (MAILER-DAEMON/postmaster)',
        'Feedback-ID: 1.us-east-1.dG93ZXItYS1yZXZpZXctbm90aWNlcw==:AmazonSES',
      ],
    });
  });

  const cases: [
    string,
    string,
    'hard' | 'soft' | 'unknown',
    [string, string | null, string | null, string | null][],
  ][] = [
    [
      'Postfix, folded Diagnostic-Code',
      `${PER_MESSAGE}
Final-Recipient: rfc822; J.Smith@Contractor.example
Original-Recipient: rfc822;j.smith@contractor.example
Action: failed
Status: 5.1.1
Remote-MTA: dns; mail.contractor.example
Diagnostic-Code: smtp; 550 5.1.1 <j.smith@contractor.example>: Recipient address
    rejected: User unknown in virtual mailbox table
`,
      'hard',
      [
        [
          'j.smith@contractor.example',
          'failed',
          '5.1.1',
          '550 5.1.1 <j.smith@contractor.example>: Recipient address rejected: User unknown in virtual mailbox table',
        ],
      ],
    ],
    [
      'delayed only (Gmail)',
      `Reporting-MTA: dns; googlemail.com\nArrival-Date: Wed, 15 May 2024 02:10:11 -0700\n\nFinal-Recipient: rfc822; site@slow.example\nAction: delayed\nStatus: 4.4.1\nDiagnostic-Code: smtp; 421 4.4.1 Connection timed out\nLast-Attempt-Date: Wed, 15 May 2024 06:10:11 -0700\nWill-Retry-Until: Fri, 17 May 2024 02:10:11 -0700\n`,
      'soft',
      [['site@slow.example', 'delayed', '4.4.1', '421 4.4.1 Connection timed out']],
    ],
    [
      'failed after retries with 4.4.7 is soft',
      `${PER_MESSAGE}\nFinal-Recipient: rfc822; pm@far.example\nAction: failed\nStatus: 4.4.7\nDiagnostic-Code: X-Postfix; delivery temporarily suspended: connect timed out\n`,
      'soft',
      [['pm@far.example', 'failed', '4.4.7', 'delivery temporarily suspended: connect timed out']],
    ],
    [
      'one failed and one delayed, no blank line between recipients, CRLF',
      `${PER_MESSAGE}\r\nFinal-Recipient: rfc822; a@one.example\r\nAction: failed\r\nStatus: 5.2.1\r\nFinal-Recipient: rfc822; <b@two.example>\r\nAction: delayed\r\nStatus: 4.2.2\r\n`,
      'hard',
      [
        ['a@one.example', 'failed', '5.2.1', null],
        ['b@two.example', 'delayed', '4.2.2', null],
      ],
    ],
    [
      'failed without a Status: the SMTP code decides',
      `${PER_MESSAGE}\nOriginal-Recipient: rfc822; qs@quantity.example\nAction: failed\nDiagnostic-Code: smtp; 554 mailbox disabled\n`,
      'hard',
      [['qs@quantity.example', 'failed', null, '554 mailbox disabled']],
    ],
    [
      'failed with no code at all',
      `${PER_MESSAGE}\nFinal-Recipient: rfc822; qs@quantity.example\nAction: failed\n`,
      'unknown',
      [['qs@quantity.example', 'failed', null, null]],
    ],
  ];
  it.each(cases)('%s', (_, deliveryStatus, kind, expected) => {
    const verdict = detectBounce(mail({ deliveryStatus }), '');
    expect(verdict.isBounce).toBe(true);
    expect(verdict.kind).toBe(kind);
    expect(verdict.recipients).toEqual(
      expected.map(([recipient, action, status, diagnostic]) => ({
        recipient,
        action,
        status,
        diagnostic,
      })),
    );
    expect(verdict.reasons[0]).toBe('multipart/report; report-type=delivery-status');
  });

  it('a person forwarding a report (delivery-status nested in their message) is not a bounce', () => {
    const forwarded = {
      ...mail({ subject: 'Fwd: Delivery Status Notification (Failure)', from: PERSON }),
      rootContentType: { value: 'multipart/mixed', params: {} },
      deliveryStatus: `${PER_MESSAGE}\nFinal-Recipient: rfc822; pm@gone.example\nAction: failed\nStatus: 5.1.1\n`,
    };
    expect(detectBounce(forwarded, 'jane@architect.example')).toEqual({
      isBounce: false,
      kind: null,
      recipients: [],
      reasons: [],
    });
  });

  it('a report that every recipient was delivered is a receipt, not a bounce', () => {
    const verdict = detectBounce(
      mail({
        subject: 'Delivery Status Notification (Success)',
        deliveryStatus: `${PER_MESSAGE}\nFinal-Recipient: rfc822; pm@contractor.example\nAction: delivered\nStatus: 2.0.0\n`,
      }),
      '',
    );
    expect(verdict).toEqual({
      isBounce: false,
      kind: null,
      recipients: [
        {
          recipient: 'pm@contractor.example',
          action: 'delivered',
          status: '2.0.0',
          diagnostic: null,
        },
      ],
      reasons: [
        'multipart/report; report-type=delivery-status',
        'delivery status report without failures (pm@contractor.example delivered 2.0.0)',
      ],
    });
  });
});
