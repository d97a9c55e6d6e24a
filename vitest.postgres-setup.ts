// Starts one throwaway PostgreSQL server for the whole unit run, so every store test can also run
// on PostgreSQL (each test makes its own database on it). Without PostgreSQL installed those
// variants are skipped, unless WORKSHOP_REQUIRE_POSTGRES=1 (CI), where that is an error.

import type { TestProject } from 'vitest/node';
import {
  findPostgresBin,
  postgresRequired,
  startPostgresTestServer,
  type PostgresTestServer,
} from './clusters/src/testing/postgres-test-server';

let server: PostgresTestServer | undefined;

export async function setup(project: TestProject): Promise<void> {
  if (!findPostgresBin()) {
    if (postgresRequired())
      throw new Error('WORKSHOP_REQUIRE_POSTGRES=1 but PostgreSQL is not installed: apt-get install postgresql');
    console.warn('PostgreSQL is not installed: database tests run on SQLite only');
    project.provide('postgresUrl', '');
    return;
  }
  server = await startPostgresTestServer();
  project.provide('postgresUrl', server.url);
}

export async function teardown(): Promise<void> {
  await server?.stop();
}
