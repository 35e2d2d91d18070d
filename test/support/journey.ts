import { expect } from 'vitest';
import { sendMail } from './smtp-client.js';
import { headerOf, type SunkMessage } from './smtp-sink.js';
import type { TestService } from './test-service.js';

/** Delivers over SMTP, expects 250, and waits until the message is filed (and its mail queued). */
export async function deliverAndFile(
  test: TestService,
  from: string,
  to: string,
  raw: Buffer | string,
): Promise<void> {
  const result = await sendMail(test.service.smtpPort, { from, to: [to] }, raw);
  expect(result.final[0]?.code).toBe(250);
  await test.service.filing.idle();
}

/** The bare address in a notification's Reply-To. */
export function replyAddressOf(message: SunkMessage): string {
  return headerOf(message, 'reply-to').replace(/^.*<|>.*$/g, '');
}

/** Matches a notification sent to `address` whose subject matches. */
export function sentTo(address: string, subject: RegExp): (message: SunkMessage) => boolean {
  return (message) =>
    message.envelopeTo.includes(address) && subject.test(message.parsed.subject ?? '');
}

/** DNS for DMARC cases: architect.example publishes a strict policy and signs nothing. */
export async function strictDmarcDns(name: string, rrtype: string): Promise<string[][]> {
  const records: Record<string, string[][]> = {
    'TXT architect.example': [['v=spf1 ip4:192.0.2.10 -all']],
    'TXT _dmarc.architect.example': [['v=DMARC1; p=reject; adkim=s; aspf=s']],
  };
  const found = records[`${rrtype} ${name}`];
  if (found) return Promise.resolve(found);
  return Promise.reject(
    Object.assign(new Error(`no ${rrtype} for ${name}`), { code: 'ENOTFOUND' }),
  );
}
