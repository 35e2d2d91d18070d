import type { Trx } from '../db/database.js';
import type { OutboxContext } from '../outbox/enqueue.js';
import { enqueueSystemMail } from '../outbox/system-mail.js';
import { issueLoginToken, LOGIN_TOKEN_TTL_MS } from './web-login.js';

/**
 * Issues a one-use login link and puts the mail carrying it in the outbox, in one transaction:
 * a link is never made without its mail, nor mail sent for a link that was not stored.
 * `publicUrl` comes from configuration, never from the request, so a forged Host header cannot
 * send someone a link to another site.
 */
export async function mailLoginLink(
  trx: Trx,
  outbox: OutboxContext,
  input: { email: string; publicUrl: string },
  now: Date,
): Promise<void> {
  const token = await issueLoginToken(trx, input.email, now);
  const url = `${input.publicUrl.replace(/\/+$/, '')}/login/${token}`;
  await enqueueSystemMail(
    trx,
    outbox,
    {
      kind: 'login-link',
      template: 'login-link',
      to: input.email,
      data: { email: input.email, url, minutes: LOGIN_TOKEN_TTL_MS / 60_000 },
    },
    now,
  );
}
