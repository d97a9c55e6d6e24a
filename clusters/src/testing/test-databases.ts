// The databases every store test runs against: the embedded SQLite default and, when the test run
// started a PostgreSQL server (vitest.postgres-setup.ts), a fresh PostgreSQL database per call.

import type { Kysely } from 'kysely';
import { inject } from 'vitest';
import { openPostgresDatabase } from '../postgres-database';
import { openSqliteDatabase } from '../sqlite-database';
import { createTestPostgresDatabase } from './postgres-test-server';

export { createTestPostgresDatabase };

export type DatabaseKind = 'sqlite' | 'postgres';

export interface DatabaseVariant {
  kind: DatabaseKind;
  /** An empty database (no tables); the caller migrates it and destroys it. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  open(): Promise<Kysely<any>>;
  /** For Postgres: the URL of the database the last open() made (several replicas connect to it). */
  url?: () => string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

/** The server URL the global setup started, or '' when PostgreSQL is not installed here. */
export function testPostgresUrl(): string {
  try {
    return inject('postgresUrl') ?? '';
  } catch {
    return process.env.WORKSHOP_TEST_POSTGRES_URL ?? '';
  }
}

export function databaseVariants(): DatabaseVariant[] {
  const variants: DatabaseVariant[] = [{ kind: 'sqlite', open: async () => openSqliteDatabase() }];
  const serverUrl = testPostgresUrl();
  if (serverUrl) {
    let last = '';
    variants.push({
      kind: 'postgres',
      async open() {
        last = await createTestPostgresDatabase(serverUrl);
        return openPostgresDatabase(last);
      },
      url: () => last,
    });
  }
  return variants;
}
