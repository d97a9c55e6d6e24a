import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { openPostgresDatabase, type DatabaseLocation, describeDatabaseLocation } from '@istio-workshop/clusters';
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

function openSqlite(file: string): Kysely<PortalDatabase> {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new Database(file);
  // WAL lets the check API write while pages read; busy_timeout rides out short writer contention.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  return new Kysely<PortalDatabase>({ dialect: new SqliteDialect({ database: sqlite }) });
}

/** Brings an open database's schema up to date (portal tables plus other packages' migrations). */
export async function migratePortalDatabase(
  db: Kysely<PortalDatabase>,
  extraMigrations: Record<string, Migration> = {},
  label = 'database',
): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: new StaticMigrationProvider({ ...portalMigrations, ...extraMigrations }),
    // Packages add migrations independently, so names from different owners interleave.
    allowUnorderedMigrations: true,
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed)
    throw new Error(
      `Database migration failed${failed ? ` at ${failed.migrationName}` : ''} for ${label}: ${(error as Error | undefined)?.message ?? 'unknown error'}`,
    );
}

/**
 * Opens (creating if needed) the database and brings its schema up to date: a SQLite file (a path,
 * or `{kind:'sqlite'}`) or a PostgreSQL server that several portal replicas share.
 * `extraMigrations` lets other packages that own tables (clusters: environments) share the migrator;
 * on PostgreSQL the migrator's lock makes replicas starting together migrate once.
 */
export async function openDatabase(
  location: string | DatabaseLocation,
  extraMigrations: Record<string, Migration> = {},
): Promise<Kysely<PortalDatabase>> {
  const where: DatabaseLocation = typeof location === 'string' ? { kind: 'sqlite', file: location } : location;
  const db =
    where.kind === 'sqlite' ? openSqlite(where.file) : (openPostgresDatabase(where.url) as Kysely<PortalDatabase>);
  try {
    await migratePortalDatabase(db, extraMigrations, describeDatabaseLocation(where));
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return db;
}
