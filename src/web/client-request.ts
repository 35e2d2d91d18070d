import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import type { WebEnv } from './web-env.js';

/**
 * Works out who is asking and how: the client's address (for rate limits) and whether they came
 * over HTTPS (for Secure cookies). Forwarded headers are believed only when the deployment says a
 * proxy sets them (TRUST_PROXY); otherwise anyone could claim any address. Behind a proxy without
 * it, every client would share the proxy's address and one person could lock everyone out.
 */
export function clientRequest(trustProxy: boolean): MiddlewareHandler<WebEnv> {
  return async (c, next) => {
    const socketAddress = remoteAddress(c);
    const forwardedFor = c.req.header('x-forwarded-for');
    const forwardedProto = c.req.header('x-forwarded-proto');
    // The proxy appends the address it saw; earlier entries are whatever the client wrote.
    const proxied = trustProxy ? forwardedFor?.split(',').at(-1)?.trim() : undefined;
    c.set('clientAddress', proxied || socketAddress);
    const protocol = trustProxy ? forwardedProto?.split(',')[0]?.trim().toLowerCase() : undefined;
    c.set('https', (protocol ?? new URL(c.req.url).protocol.replace(':', '')) === 'https');
    await next();
  };
}

/** The socket's peer address; null under `app.request()` in tests. */
function remoteAddress(c: Context): string | null {
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    return null;
  }
}
