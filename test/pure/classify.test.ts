import { describe, expect, it } from 'vitest';
import { classifyMail } from '../../src/ingest/classify.js';
import type { ParsedMail } from '../../src/mail/parsed-mail.js';
import { REPLY_ABOVE_MARKER } from '../../src/outbox/enqueue.js';

function mail(text: string, headers: Record<string, string> = {}): ParsedMail {
  return {
    headers: new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), [v]])),
    messageId: 'x@example.com',
    inReplyTo: [],
    references: [],
    subject: 'Re: Action required',
    from: { address: 'sam@architect.example', name: 'Sam' },
    to: [],
    cc: [],
    replyTo: [],
    date: null,
    rootContentType: { value: 'text/plain', params: {} },
    text,
    html: null,
    attachments: [],
    deliveryStatus: null,
    warnings: [],
  };
}

describe('classifyMail reply splitting at our marker', () => {
  it.each([
    [
      'Outlook, unquoted history',
      `APPROVED AS NOTED\r\nSee sheet 4.\r\n\r\nFrom: Tower A (Docket) <twr-a@docket.localhost>\r\nSent: Monday\r\n${REPLY_ABOVE_MARKER}\r\nPlease review`,
      'APPROVED AS NOTED\r\nSee sheet 4.',
    ],
    [
      'Gmail, quoted history',
      `Rejected.\n\nOn Mon, 2 Nov 2026 at 09:00, Tower A <twr-a@docket.localhost> wrote:\n> ${REPLY_ABOVE_MARKER}\n>\n> Please review`,
      'Rejected.',
    ],
  ])('%s', (_label, text, reply) => {
    const result = classifyMail(mail(text), 'sam@architect.example', false);
    expect(result.reply.replace(/\r\n/g, '\n')).toBe(reply.replace(/\r\n/g, '\n'));
    expect(result.elided).toContain(REPLY_ABOVE_MARKER);
    expect(result.reasons[0]?.detail).toBe('cut at the "reply above this line" marker');
  });

  it('flags auto-replies and leaves a message without the marker to the general splitter', () => {
    const result = classifyMail(
      mail('Out of office until Monday.', { 'Auto-Submitted': 'auto-replied' }),
      'sam@architect.example',
      false,
    );
    expect(result.flags).toContain('auto-reply');
    expect(result.reply).toBe('Out of office until Monday.');
    expect(result.reasons.some((r) => r.detail.includes('marker'))).toBe(false);
  });
});
