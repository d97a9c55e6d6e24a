// Where the platform's database lives: an embedded SQLite file (the default) or a PostgreSQL server
// that several portal replicas share. Parsed once at the boundary so a bad DATABASE_URL is named
// before anything opens.

export type DatabaseLocation =
  | { kind: 'sqlite'; file: string }
  | { kind: 'postgres'; url: string };

export class DatabaseLocationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseLocationError';
  }
}

/**
 * `DATABASE_URL=postgres://user:pass@host:5432/db` (or postgresql://) selects PostgreSQL;
 * unset or empty falls back to the SQLite file.
 */
export function parseDatabaseLocation(databaseUrl: string | undefined, sqliteFile: string): DatabaseLocation {
  if (databaseUrl === undefined || databaseUrl.trim() === '') return { kind: 'sqlite', file: sqliteFile };
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    throw new DatabaseLocationError('DATABASE_URL is not a URL; expected postgres://user:password@host:5432/database');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:')
    throw new DatabaseLocationError(
      `DATABASE_URL has scheme "${url.protocol.replace(/:$/, '')}"; only postgres:// is supported (leave it unset for the embedded SQLite file)`,
    );
  if (!url.hostname && !url.searchParams.get('host'))
    throw new DatabaseLocationError('DATABASE_URL names no host; expected postgres://user:password@host:5432/database');
  if (url.pathname.replace(/^\//, '') === '')
    throw new DatabaseLocationError('DATABASE_URL names no database; add it as the path, e.g. postgres://…/workshop');
  return { kind: 'postgres', url: databaseUrl };
}

/** The location as it may be logged: the password never leaves the process. */
export function describeDatabaseLocation(location: DatabaseLocation): string {
  if (location.kind === 'sqlite') return `sqlite:${location.file}`;
  const url = new URL(location.url);
  if (url.password) url.password = '***';
  return url.toString();
}
