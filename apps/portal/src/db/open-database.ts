import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type Migration, type MigrationProvider } from 'kysely';
import type { PortalDatabase } from './database-schema';
import { portalMigrations } from './portal-migrations';

class StaticMigrationProvider implements MigrationProvider {
  constructor(private readonly migrations: Record<string, Migration>) {}
  async getMigrations() {
    return this.migrations;
  }
}

/**
 * Opens (creating if needed) the SQLite file and brings its schema up to date.
 * `extraMigrations` lets other packages that own tables (clusters: environments) share the migrator.
 */
export async function openDatabase(
  file: string,
  extraMigrations: Record<string, Migration> = {},
): Promise<Kysely<PortalDatabase>> {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new Database(file);
  // WAL lets the check API write while pages read; busy_timeout rides out short writer contention.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  const db = new Kysely<PortalDatabase>({ dialect: new SqliteDialect({ database: sqlite }) });
  const migrator = new Migrator({
    db,
    provider: new StaticMigrationProvider({ ...portalMigrations, ...extraMigrations }),
    // Packages add migrations independently, so names from different owners interleave.
    allowUnorderedMigrations: true,
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    await db.destroy();
    throw new Error(
      `Database migration failed${failed ? ` at ${failed.migrationName}` : ''} for ${file}: ${(error as Error | undefined)?.message ?? 'unknown error'}`,
    );
  }
  return db;
}
