// A real SQLite database (better-sqlite3) behind Kysely, for tests, the CLI and benchmarks.

import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function openSqliteDatabase(file: string = ':memory:'): Kysely<any> {
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 5000');
  return new Kysely({ dialect: new SqliteDialect({ database: sqlite }) });
}
