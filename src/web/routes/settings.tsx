import { Hono } from 'hono';
import type { WebDeps, WebEnv } from '../web-env.js';

/** Placeholder until the settings pages are built. */
export function settingsRoutes(deps: Required<WebDeps>): Hono<WebEnv> {
  void deps;
  return new Hono<WebEnv>();
}
