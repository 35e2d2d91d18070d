import { Hono } from 'hono';
import type { WebDeps } from '../web/web-env.js';

/** Placeholder until the JSON API is built. */
export function apiRoutes(deps: Required<WebDeps>): Hono {
  void deps;
  return new Hono();
}
