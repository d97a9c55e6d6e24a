import { describe, expect, it } from 'vitest';
import { openDatabase } from '../db/open-database';
import { signIn } from '../instructors/instructor-store';
import { runAdminCommand } from './admin-command';

function io(stdin = '') {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { readStdin: async () => stdin, out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
}

describe('admin command', () => {
  it('creates an instructor whose password comes from stdin, then lists it', async () => {
    const db = await openDatabase(':memory:');
    const a = io('a very long password\n');
    expect(await runAdminCommand(['create-instructor', '--email', 'ada@example.org', '--name', 'Ada', '--admin'], db, a.io)).toBe(0);
    expect(a.out[0]).toMatch(/created instructor ada@example.org \(Ada\), admin/);
    // The trailing newline of `echo` is not part of the password.
    expect(await signIn(db, 'ada@example.org', 'a very long password')).toBeDefined();
    const b = io();
    expect(await runAdminCommand(['list-instructors'], db, b.io)).toBe(0);
    expect(b.out[0]).toMatch(/^ada@example\.org\tAda\tadmin\t/);
    const again = io('a very long password');
    expect(await runAdminCommand(['create-instructor', '--email', 'ada@example.org', '--name', 'A'], db, again.io)).toBe(1);
    expect(again.err[0]).toMatch(/already exists/);
    await db.destroy();
  });

  it('makes an OIDC-only instructor without reading a password', async () => {
    const db = await openDatabase(':memory:');
    const c = io();
    c.io.readStdin = async () => {
      throw new Error('stdin must not be read');
    };
    expect(await runAdminCommand(['create-instructor', '--email', 'cy@example.org', '--name', 'Cy', '--oidc-only'], db, c.io)).toBe(0);
    expect(c.out[0]).toMatch(/created instructor cy@example.org \(Cy\): .*OIDC issuer \(no password\)/);
    expect(await signIn(db, 'cy@example.org', '')).toBeUndefined();
    await db.destroy();
  });

  it('names each bad input and exits 2', async () => {
    const db = await openDatabase(':memory:');
    const short = io('short');
    expect(await runAdminCommand(['create-instructor', '--email', 'bad', '--name', 'B'], db, short.io)).toBe(2);
    expect(short.err).toEqual(['--email must be an email address, e.g. ada@example.org', 'password (standard input) must be at least 12 characters']);
    const missing = io();
    expect(await runAdminCommand(['create-instructor', '--email', 'b@example.org'], db, missing.io)).toBe(2);
    expect(missing.err[0]).toMatch(/needs --email and --name/);
    const unknownFlag = io();
    expect(await runAdminCommand(['create-instructor', '--mail', 'x'], db, unknownFlag.io)).toBe(2);
    expect(unknownFlag.err[0]).toMatch(/--mail/);
    const unknown = io();
    expect(await runAdminCommand(['delete-everything'], db, unknown.io)).toBe(2);
    expect(unknown.err[0]).toBe('unknown command "delete-everything"');
    await db.destroy();
  });
});
