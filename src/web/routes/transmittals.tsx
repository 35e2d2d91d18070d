import { Hono } from 'hono';
import type { WebDeps, WebEnv } from '../web-env.js';

/** Placeholder until the transmittals pages are built. */
export function transmittalsRoutes(deps: Required<WebDeps>): Hono<WebEnv> {
  void deps;
  return new Hono<WebEnv>();
}
