import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  docketEnv,
  runDocket,
  startServe,
  type DocketResult,
  type ServeProcess,
} from '../support/docket-cli.js';
import { dropDatabase } from '../support/pg-cleanup.js';
import { createTestDatabase, testDatabaseKind, testDatabaseUrl } from '../support/test-db.js';

describe(`docket token, on ${testDatabaseKind}`, () => {
  let dataDir: string;
  let databaseUrl: string | null = null;
  let env: NodeJS.ProcessEnv;
  let serve: ServeProcess | null = null;

  // Each run starts a process that opens the database; a busy machine makes that slow.
  const docket = (...args: string[]) => runDocket(args, env, 150_000);
  const expectSuccess = (result: DocketResult) => {
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'docket-token-cli-'));
    if (testDatabaseUrl) {
      const database = await createTestDatabase();
      await database.db.destroy();
      databaseUrl = database.url;
    }
    env = docketEnv({
      DOCKET_DATA_DIR: dataDir,
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    });
  }, 300_000);

  afterAll(async () => {
    if (serve && serve.child.exitCode === null && serve.child.signalCode === null) {
      serve.child.kill('SIGKILL');
      await serve.exited;
    }
    if (databaseUrl) await dropDatabase(databaseUrl);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates a token for a member, which reads the served API until it is revoked', async () => {
    expectSuccess(await docket('project', 'create', 'a', '--name', 'Project A'));
    expectSuccess(await docket('project', 'create', 'b', '--name', 'Project B'));
    // The first user becomes the administrator; make them first so the member is not.
    expectSuccess(await docket('login-link', 'admin@owner.example'));
    expectSuccess(await docket('member', 'add', 'a', 'mia@gc.example'));

    const stranger = await docket('token', 'create', 'nobody@nowhere.example');
    expect(stranger.code).toBe(1);
    expect(stranger.stderr.trimEnd()).toMatch(/^docket: nobody@nowhere.example is not a user/);
    expect(stranger.stdout).toBe('');

    const created = await docket('token', 'create', 'Mia@GC.example', '--name', 'schedule sync');
    expectSuccess(created);
    expect(created.stdout).toMatch(/^Created mia@gc.example\.$/m);
    expect(created.stdout).toMatch(/^API token \d+ \(schedule sync\) for mia@gc.example:$/m);
    const token = /^dkt_[A-Za-z0-9_-]{43}$/m.exec(created.stdout)?.[0] ?? '';
    expect(token).not.toBe('');

    // A running server: the commands go to it, and the API is read over real HTTP.
    serve = await startServe(env, 150_000);
    const running = await serve.waitForLog('docket is running');
    const api = (url: string, bearer: string) =>
      fetch(`http://${String(running.http)}${url}`, {
        headers: { authorization: `Bearer ${bearer}` },
      });
    const projects = await api('/api/projects', token);
    expect(projects.status).toBe(200);
    expect(((await projects.json()) as { items: { code: string }[] }).items).toEqual([
      { code: 'a', name: 'Project A', timezone: 'UTC' },
    ]);
    expect((await api('/api/projects/b', token)).status).toBe(404);

    const listed = await docket('token', 'list', 'mia@gc.example');
    expectSuccess(listed);
    const line = listed.stdout.trim();
    expect(line).toContain(`${token.slice(0, 12)}…`);
    expect(line).toContain('schedule sync');
    expect(line).toMatch(/last used \d{4}-\d{2}-\d{2}T/);
    expect(line).toMatch(/active$/);
    expect(listed.stdout).not.toContain(token);

    const revoked = await docket('token', 'revoke', token.slice(0, 12));
    expectSuccess(revoked);
    expect(revoked.stdout).toMatch(/^Revoked API token \d+ \(dkt_\S+…\) of mia@gc.example\.$/m);
    const refused = await api('/api/projects', token);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toContain('Bearer');
    const again = await docket('token', 'revoke', token.slice(0, 12));
    expectSuccess(again);
    expect(again.stdout).toContain('was already revoked');
    expect((await docket('token', 'list', 'mia@gc.example')).stdout).toContain('REVOKED');

    const unknown = await docket('token', 'revoke', '999999');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^docket: no API token matches "999999"/);

    serve.child.kill('SIGTERM');
    expect((await serve.exited)[0]).toBe(0);
  }, 900_000);
});
