import { Hono } from 'hono';
import { sql } from 'kysely';
import type { Db } from '../db/database.js';

/** The HTTP side. For now a health endpoint that proves the database answers. */
export function createWebApp(deps: { db: Db; version: string }): Hono {
  const app = new Hono();
  app.get('/health', async (c) => {
    try {
      await sql`select 1`.execute(deps.db);
      return c.json({ status: 'ok', version: deps.version });
    } catch {
      return c.json({ status: 'unavailable', version: deps.version }, 503);
    }
  });
  return app;
}
