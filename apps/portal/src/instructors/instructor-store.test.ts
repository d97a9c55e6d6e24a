import { ZodError } from 'zod';
import { afterAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { PortalDatabase } from '../db/database-schema';
import { openDatabase } from '../db/open-database';
import { portalTestDatabases } from '../testing/portal-test-databases';
import { createInstructor, InstructorExistsError, instructorForToken, listInstructors, signIn, signOut } from './instructor-store';

describe.each(portalTestDatabases())('instructor accounts on $kind', (variant) => {
  const opened: Kysely<PortalDatabase>[] = [];
  afterAll(async () => Promise.all(opened.map((db) => db.destroy())));
  async function fresh() {
    const db = await openDatabase(await variant.location());
    opened.push(db);
    return db;
  }

  it('creates an instructor, signs in, resolves the session and signs out', async () => {
    const db = await fresh();
    const ada = await createInstructor(db, { email: ' Ada@Example.org ', displayName: 'Ada', password: 'a long enough secret' });
    expect(ada).toMatchObject({ email: 'ada@example.org', isAdmin: false });
    expect(await signIn(db, 'ada@example.org', 'wrong password here')).toBeUndefined();
    expect(await signIn(db, 'nobody@example.org', 'a long enough secret')).toBeUndefined();
    const session = await signIn(db, 'ADA@example.org', 'a long enough secret');
    expect(session?.instructor.id).toBe(ada.id);
    expect(await instructorForToken(db, session!.token)).toMatchObject({ id: ada.id });
    expect(await instructorForToken(db, `${session!.token}x`)).toBeUndefined();
    // The database holds only a hash of the token.
    const stored = await db.selectFrom('instructor_sessions').select('token_hash').execute();
    expect(stored.map((r) => r.token_hash)).not.toContain(session!.token);
    await signOut(db, session!.token);
    expect(await instructorForToken(db, session!.token)).toBeUndefined();
  });

  it('refuses a second account with the same email, and bad input by field', async () => {
    const db = await fresh();
    await createInstructor(db, { email: 'bo@example.org', displayName: 'Bo', password: 'another long secret', isAdmin: true });
    await expect(createInstructor(db, { email: 'BO@example.org', displayName: 'Bo 2', password: 'another long secret' })).rejects.toBeInstanceOf(
      InstructorExistsError,
    );
    const bad = await createInstructor(db, { email: 'nope', displayName: '', password: 'short' }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(ZodError);
    expect((bad as ZodError).issues.map((i) => i.path[0])).toEqual(['email', 'displayName', 'password']);
    expect((await listInstructors(db)).map((i) => [i.email, i.isAdmin])).toEqual([['bo@example.org', true]]);
  });

  it('ends a session when it expires', async () => {
    const db = await fresh();
    await createInstructor(db, { email: 'cy@example.org', displayName: 'Cy', password: 'cy has a long secret' });
    const session = await signIn(db, 'cy@example.org', 'cy has a long secret');
    await db.updateTable('instructor_sessions').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).execute();
    expect(await instructorForToken(db, session!.token)).toBeUndefined();
  });
});
