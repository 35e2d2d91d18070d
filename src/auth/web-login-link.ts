import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import { ensureUser } from '../users/user.repository.js';
import { issueLoginToken } from './web-login.js';

/**
 * Where the web pages are reached: PUBLIC_URL when set (behind a reverse proxy), else the HTTP
 * listener, a wildcard listen address meaning "this machine".
 */
export function webBaseUrl(http: Config['http']): string {
  if (http.publicUrl) return http.publicUrl;
  const wildcard = ['0.0.0.0', '::', '[::]', ''].includes(http.host);
  const host = wildcard ? 'localhost' : http.host.includes(':') ? `[${http.host}]` : http.host;
  return `http://${host}:${http.port}`;
}

/**
 * `docket login-link <email>`: makes the user when missing (the very first becomes an
 * administrator) and issues a one-use, 15-minute link. With no mail relay this is how a person
 * gets in.
 */
export async function issueLoginLink(
  db: Db,
  input: { email: string; baseUrl: string },
  now: Date,
): Promise<{ url: string; email: string; isAdmin: boolean; created: boolean }> {
  const { user, created } = await ensureUser(db, { email: input.email });
  const token = await issueLoginToken(db, user.email, now);
  return {
    url: `${input.baseUrl.replace(/\/+$/, '')}/login/${token}`,
    email: user.email,
    isAdmin: user.is_admin,
    created,
  };
}
