import { describe, expect, it } from 'vitest';
import { describeDatabaseLocation, parseDatabaseLocation } from './database-location';

describe('parseDatabaseLocation', () => {
  it('falls back to the SQLite file when DATABASE_URL is unset or blank', () => {
    expect(parseDatabaseLocation(undefined, '/d/p.sqlite')).toEqual({ kind: 'sqlite', file: '/d/p.sqlite' });
    expect(parseDatabaseLocation('  ', '/d/p.sqlite')).toEqual({ kind: 'sqlite', file: '/d/p.sqlite' });
  });

  it('accepts postgres:// and postgresql:// URLs', () => {
    expect(parseDatabaseLocation('postgres://u:p@db:5432/workshop', 'x').kind).toBe('postgres');
    expect(parseDatabaseLocation('postgresql://u@10.0.0.1/workshop', 'x').kind).toBe('postgres');
  });

  it('names what is wrong with a bad URL', () => {
    expect(() => parseDatabaseLocation('mysql://u@h/db', 'x')).toThrow(/scheme "mysql"/);
    expect(() => parseDatabaseLocation('not a url', 'x')).toThrow(/not a URL/);
    expect(() => parseDatabaseLocation('postgres://u@h', 'x')).toThrow(/no database/);
  });

  it('never prints the password', () => {
    const text = describeDatabaseLocation(parseDatabaseLocation('postgres://admin:s3cret@db:5432/w', 'x'));
    expect(text).not.toContain('s3cret');
    expect(text).toContain('admin:***@db:5432/w');
  });
});
