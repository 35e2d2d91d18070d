import { Hono } from 'hono';
import type { WebDeps, WebEnv } from '../web-env.js';

/** Placeholder until the items pages are built. */
export function itemsRoutes(deps: Required<WebDeps>): Hono<WebEnv> {
  void deps;
  return new Hono<WebEnv>();
}
