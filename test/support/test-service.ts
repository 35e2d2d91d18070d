import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { loadConfig } from '../../src/config.js';
import { startService, type Service, type ServiceOptions } from '../../src/main.js';
import { createProject } from '../../src/projects/project.repository.js';
import { dropDatabase } from './pg-cleanup.js';
import { createTestDatabase, type TestDatabase } from './test-db.js';

export interface TestService {
  service: Service;
  dataDir: string;
  /** Stops the service and removes its database and data directory. */
  stop(): Promise<void>;
  /** Removes the database and data directory of a service already stopped. */
  cleanup(): Promise<void>;
}

/**
 * Starts the real service — SMTP, HTTP, filing — on free loopback ports, on a fresh PostgreSQL
 * database when TEST_DATABASE_URL is set, else on an embedded database in a temporary directory.
 */
export async function startTestService(
  env: Record<string, string> = {},
  options: ServiceOptions = {},
): Promise<TestService> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'docket-test-'));
  let database: TestDatabase | null = null;
  if (process.env.TEST_DATABASE_URL) {
    database = await createTestDatabase();
    await database.db.destroy();
  }
  const config = loadConfig({
    DOCKET_DATA_DIR: dataDir,
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: '0',
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: '0',
    LOG_LEVEL: 'silent',
    DOCKET_SECRET: 'test-secret-test-secret-test-secret-0123',
    ...(database?.url ? { DATABASE_URL: database.url } : {}),
    ...env,
  });
  const service = await startService(config, pino({ level: 'silent' }), options);
  const cleanup = async () => {
    if (database?.url) await dropDatabase(database.url);
    rmSync(dataDir, { recursive: true, force: true });
  };
  return {
    service,
    dataDir,
    async stop() {
      await service.stop();
      await cleanup();
    },
    cleanup,
  };
}

export async function createTestProject(
  service: Service,
  code: string,
  senderPolicy: 'anyone' | 'members' = 'anyone',
) {
  return createProject(service.db, { code, name: `Project ${code}`, senderPolicy });
}
