import { describe, expect, it } from 'vitest';

import { detectBounce } from '../../src/mail/bounce.js';
import type { MailAddress } from '../../src/mail/parsed-mail.js';

const PERSON: MailAddress = { address: 'jane@architect.example', name: 'Jane Roe' };

function textMail(from: MailAddress | null, subject: string, text: string) {
  return {
    headers: new Map<string, string[]>(),
    subject,
    from,
    rootContentType: { value: 'text/plain', params: {} },
    deliveryStatus: null,
    text,
  };
}

const QMAIL = `Hi. This is the qmail-send program at mail.sub.example.
I'm afraid I wasn't able to deliver your message to the following addresses.
This is a permanent error; I've given up. Sorry it didn't work out.

<site@sub.example>:
192.0.2.10 does not like recipient.
Remote host said: 550 5.1.1 <site@sub.example>: Recipient address rejected: User unknown
Giving up on 192.0.2.10.

--- Below this line is a copy of the message.
`;

const EXIM = `This message was created automatically by mail delivery software.

A message that you sent could not be delivered to one or more of its
recipients. This is a permanent error. The following address(es) failed:

  bob@gone.example
    host mx.gone.example [198.51.100.7]
    SMTP error from remote mail server after RCPT TO:<bob@gone.example>:
    550 5.1.1 <bob@gone.example>: Recipient address rejected: User unknown

------ This is a copy of the message, including all the headers. ------
`;

const EXIM_DELAY = `This message was created automatically by mail delivery software.
A message that you sent has not yet been delivered to one or more of its
recipients after more than 24 hours on the queue on mx.example.

The address to which the message has not yet been delivered is:

  slow@far.example
    host far.example [203.0.113.5]: Connection timed out
    Delay reason: SMTP error from remote mail server after RCPT TO:<slow@far.example>:
    451 4.7.1 Greylisted, try again later

No action is required on your part. Delivery attempts will continue for some time.
`;

const EXCHANGE = `Delivery has failed to these recipients or groups:

pm@contoso.example (pm@contoso.example)
The e-mail address you entered couldn't be found. Please check the recipient's e-mail address.

Diagnostic information for administrators:

Generating server: EX01.contoso.example

pm@contoso.example
#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##
`;

const GMAIL = `Address not found

Your message wasn't delivered to ghost@nowhere.example because the address couldn't be found, or is unable to receive mail.

The response from the remote server was:
550 5.1.1 The email account that you tried to reach does not exist.
`;

const DAEMON = { address: 'mailer-daemon@mx.example', name: '' };
const POSTMASTER = { address: 'postmaster@contoso.example', name: 'Microsoft Outlook' };

describe('detectBounce — bounces without a delivery-status part', () => {
  const cases: [
    string,
    MailAddress,
    string,
    string,
    string,
    'hard' | 'soft',
    [string, string, string | null][],
  ][] = [
    [
      'qmail',
      DAEMON,
      'failure notice',
      QMAIL,
      'bounce wording (qmail)',
      'hard',
      [['site@sub.example', 'failed', '5.1.1']],
    ],
    [
      'Exim',
      DAEMON,
      'Mail delivery failed: returning message to sender',
      EXIM,
      'bounce wording (Exim)',
      'hard',
      [['bob@gone.example', 'failed', '5.1.1']],
    ],
    [
      'Exim delay warning',
      DAEMON,
      'Warning: message 1kABCD-0001Xy-2Q delayed 24 hours',
      EXIM_DELAY,
      'bounce wording (Exim)',
      'soft',
      [['slow@far.example', 'delayed', '4.7.1']],
    ],
    [
      'Exchange NDR',
      POSTMASTER,
      'Undeliverable: RFI-007 slab edge',
      EXCHANGE,
      'bounce wording (Exchange)',
      'hard',
      [['pm@contoso.example', 'failed', null]],
    ],
    [
      'Gmail',
      DAEMON,
      'Delivery Status Notification (Failure)',
      GMAIL,
      'bounce wording (Gmail)',
      'hard',
      [['ghost@nowhere.example', 'failed', '5.1.1']],
    ],
  ];
  it.each(cases)('%s', (_, from, subject, text, wording, kind, recipients) => {
    const verdict = detectBounce(textMail(from, subject, text), '');
    expect(verdict.isBounce).toBe(true);
    expect(verdict.kind).toBe(kind);
    expect(verdict.recipients.map((r) => [r.recipient, r.action, r.status])).toEqual(recipients);
    expect(verdict.reasons).toContain(wording);
    expect(verdict.reasons[0]).toBe(
      'sent by a mail system (null sender or MAILER-DAEMON/postmaster)',
    );
  });

  it('keeps the qmail diagnostic as one line', () => {
    const [recipient] = detectBounce(textMail(DAEMON, 'failure notice', QMAIL), '').recipients;
    expect(recipient?.diagnostic).toBe(
      '192.0.2.10 does not like recipient. Remote host said: 550 5.1.1 <site@sub.example>: Recipient address rejected: User unknown Giving up on 192.0.2.10.',
    );
  });

  it('a bounce from a mail system with nothing to read is a bounce of unknown kind', () => {
    expect(
      detectBounce(
        textMail(DAEMON, 'Undelivered Mail Returned to Sender', 'See attachment.'),
        null,
      ),
    ).toEqual({
      isBounce: true,
      kind: 'unknown',
      recipients: [],
      reasons: [
        'sent by a mail system (null sender or MAILER-DAEMON/postmaster)',
        'bounce subject: "Undelivered Mail Returned to Sender"',
      ],
    });
  });

  it('bounce wording and subject without a mail-system sender still count (relayed bounce)', () => {
    const verdict = detectBounce(
      textMail(PERSON, 'Mail delivery failed: returning message to sender', EXIM),
      'jane@architect.example',
    );
    expect(verdict.isBounce).toBe(true);
    expect(verdict.reasons).toEqual([
      'bounce subject: "Mail delivery failed"',
      'bounce wording (Exim)',
    ]);
  });
});

describe('detectBounce — not bounces', () => {
  const cases: [string, MailAddress | null, string, string, string][] = [
    [
      'a person writing "Undeliverable"',
      PERSON,
      'Undeliverable: concrete pour moved to Friday',
      'The pump truck is unavailable.',
      'jane@architect.example',
    ],
    [
      'a person forwarding a bounce',
      PERSON,
      'Fwd: Mail delivery failed: returning message to sender',
      EXIM,
      'jane@architect.example',
    ],
    [
      'an out-of-office reply from the null sender',
      PERSON,
      'Automatic reply: RFI-007',
      'I am on site until Friday.',
      '',
    ],
    [
      'a mail-system notice that is not a bounce',
      DAEMON,
      'Quarantine summary',
      'You have 2 messages in quarantine.',
      '',
    ],
    ['an ordinary reply', PERSON, 'RE: RFI-007', 'Approved as noted.', 'jane@architect.example'],
  ];
  it.each(cases)('%s', (_, from, subject, text, envelope) => {
    const verdict = detectBounce(textMail(from, subject, text), envelope);
    expect(verdict.isBounce).toBe(false);
    expect(verdict.kind).toBeNull();
    expect(verdict.recipients).toEqual([]);
  });
});
