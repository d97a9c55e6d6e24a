// PostgreSQL behind Kysely, so several portal replicas can share one database. The schema is the
// same one the SQLite migrations build: kysely's schema builder emits each dialect's DDL.

import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';

// COUNT(*) and BIGINT columns come back from node-postgres as strings (they may exceed 2^53). Our
// counters and ids stay far below that, and SQLite returns numbers, so parse them to keep one type.
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));

export interface PostgresOptions {
  /** Connections this process may hold; each replica gets its own pool. */
  maxConnections?: number;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function openPostgresDatabase(url: string, options: PostgresOptions = {}): Kysely<any> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    // A server that is down should fail a request in seconds, not hang it.
    connectionTimeoutMillis: 5_000,
  });
  // An idle client losing its connection (server restart) emits 'error' on the pool; without a
  // listener that would crash the process. The next query gets a fresh connection.
  pool.on('error', () => undefined);
  return new Kysely({ dialect: new PostgresDialect({ pool }) });
}
