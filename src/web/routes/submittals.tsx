import { Hono } from 'hono';
import type { WebDeps, WebEnv } from '../web-env.js';

/** Placeholder until the submittals pages are built. */
export function submittalsRoutes(deps: Required<WebDeps>): Hono<WebEnv> {
  void deps;
  return new Hono<WebEnv>();
}
