import {
  createApiToken,
  listApiTokens,
  revokeApiToken,
  type ApiTokenListing,
} from '../../auth/api-token.js';
import { DocketError } from '../../errors.js';
import {
  ensureUser,
  findUserByEmail,
  isKnownPerson,
  normalizeEmail,
} from '../../users/user.repository.js';
import type { CommandContext } from './context.js';

export interface TokenCreateInput {
  email: string;
  name?: string;
}

/**
 * `docket token create <email>`: a token for the JSON API that acts as that person and sees what
 * they see. It is printed once; only its hash is kept. The person must already be known (a user or
 * a project member), so a mistyped address does not quietly become a new account.
 */
export async function tokenCreate(ctx: CommandContext, input: TokenCreateInput): Promise<void> {
  const email = requireEmail(input.email);
  if (!(await isKnownPerson(ctx.db, email))) {
    throw new DocketError(
      'not_found',
      `${email} is not a user or a member of any project (add them with docket member add)`,
    );
  }
  const { user, created } = await ensureUser(ctx.db, { email });
  if (created) {
    ctx.io.out(`Created ${user.email}${user.is_admin ? ' as the first administrator' : ''}.`);
  }
  const name = (input.name ?? '').trim();
  const { token, listing } = await createApiToken(ctx.db, { userId: user.id, name }, new Date());
  ctx.io.out(`API token ${listing.id}${name ? ` (${name})` : ''} for ${user.email}:`);
  ctx.io.out(token);
  ctx.io.out('It is shown only this once. Send it as "Authorization: Bearer <token>" to /api.');
}

/** `docket token list <email>`: the person's tokens, by prefix, with when each was last used. */
export async function tokenList(ctx: CommandContext, input: { email: string }): Promise<void> {
  const email = requireEmail(input.email);
  const user = await findUserByEmail(ctx.db, email);
  const tokens = user ? await listApiTokens(ctx.db, user.id) : [];
  if (tokens.length === 0) return ctx.io.out(`${email} has no API tokens.`);
  for (const token of tokens) ctx.io.out(describe(token));
}

/** `docket token revoke <id-or-prefix>`: the token stops working at once. */
export async function tokenRevoke(ctx: CommandContext, input: { token: string }): Promise<void> {
  const revoked = await revokeApiToken(ctx.db, input.token, new Date());
  ctx.io.out(
    revoked.alreadyRevoked
      ? `API token ${revoked.id} (${revoked.prefix}…) of ${revoked.email} was already revoked.`
      : `Revoked API token ${revoked.id} (${revoked.prefix}…) of ${revoked.email}.`,
  );
}

function requireEmail(value: string): string {
  const email = normalizeEmail(value);
  if (!email) throw new DocketError('invalid_input', `"${value}" is not an email address`);
  return email;
}

function describe(token: ApiTokenListing): string {
  const used = token.lastUsedAt ? `last used ${token.lastUsedAt.toISOString()}` : 'never used';
  const state = token.revokedAt ? `REVOKED ${token.revokedAt.toISOString()}` : 'active';
  return [
    String(token.id),
    `${token.prefix}…`,
    token.name || '(no name)',
    `created ${token.createdAt.toISOString()}`,
    used,
    state,
  ].join('  ');
}
