import { Hono } from 'hono';
import type { WebDeps, WebEnv } from '../web-env.js';

/** Placeholder until the outbox pages are built. */
export function outboxRoutes(deps: Required<WebDeps>): Hono<WebEnv> {
  void deps;
  return new Hono<WebEnv>();
}
