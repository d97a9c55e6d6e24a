// Instructor accounts and their sign-in sessions. Instructors are created by an operator
// (`npm run admin -- create-instructor`), never by sign-up: a workshop host decides who teaches.

import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { PortalDatabase } from '../db/database-schema';
import { decoyHash, hashPassword, verifyPassword } from './password-hash';

export interface Instructor {
  id: string;
  email: string;
  displayName: string;
  isAdmin: boolean;
  createdAt: string;
}

export class InstructorExistsError extends Error {
  constructor(readonly email: string) {
    super(`an instructor with email ${email} already exists`);
    this.name = 'InstructorExistsError';
  }
}

export const newInstructorSchema = z.object({
  email: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.email({ error: 'must be an email address, e.g. ada@example.org' })),
  displayName: z.string().trim().min(1, 'must not be empty').max(80, 'must be at most 80 characters'),
  password: z.string().min(12, 'must be at least 12 characters').max(200, 'must be at most 200 characters'),
  isAdmin: z.boolean().default(false),
});
export type NewInstructor = z.input<typeof newInstructorSchema>;

/** How long a sign-in lasts: one teaching day. */
export const instructorSessionHours = 12;

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

function toInstructor(row: { id: string; email: string; display_name: string; is_admin: number; created_at: string }): Instructor {
  return { id: row.id, email: row.email, displayName: row.display_name, isAdmin: row.is_admin === 1, createdAt: row.created_at };
}

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === '23505';
}

export async function createInstructor(db: Kysely<PortalDatabase>, input: NewInstructor): Promise<Instructor> {
  const valid = newInstructorSchema.parse(input);
  const row = {
    id: `ins-${randomUUID()}`,
    email: valid.email,
    display_name: valid.displayName,
    password_hash: await hashPassword(valid.password),
    is_admin: valid.isAdmin ? 1 : 0,
    created_at: new Date().toISOString(),
  };
  try {
    await db.insertInto('instructors').values(row).execute();
  } catch (error) {
    if (isUniqueViolation(error)) throw new InstructorExistsError(valid.email);
    throw error;
  }
  return toInstructor(row);
}

export async function listInstructors(db: Kysely<PortalDatabase>): Promise<Instructor[]> {
  const rows = await db.selectFrom('instructors').selectAll().orderBy('created_at').execute();
  return rows.map(toInstructor);
}

/**
 * Checks the password and opens a session. Undefined for an unknown email or a wrong password,
 * alike and in about the same time, so the answer does not tell which emails exist.
 */
export async function signIn(
  db: Kysely<PortalDatabase>,
  email: string,
  password: string,
): Promise<InstructorSession | undefined> {
  const row = await db.selectFrom('instructors').selectAll().where('email', '=', email.trim().toLowerCase()).executeTakeFirst();
  const ok = await verifyPassword(password, row?.password_hash ?? (await decoyHash));
  if (!row || !ok) return undefined;
  return openSession(db, toInstructor(row));
}

export interface InstructorSession {
  token: string;
  instructor: Instructor;
  expiresAt: string;
}

/** A new session for an instructor whose identity was already proven (password or OIDC). */
export async function openSession(db: Kysely<PortalDatabase>, instructor: Instructor): Promise<InstructorSession> {
  const token = randomBytes(32).toString('base64url');
  const now = new Date();
  const expiresAt = new Date(now.getTime() + instructorSessionHours * 3_600_000).toISOString();
  await db
    .insertInto('instructor_sessions')
    .values({ token_hash: tokenHash(token), instructor_id: instructor.id, created_at: now.toISOString(), expires_at: expiresAt })
    .execute();
  return { token, instructor, expiresAt };
}

export async function instructorByEmail(db: Kysely<PortalDatabase>, email: string): Promise<Instructor | undefined> {
  const row = await db.selectFrom('instructors').selectAll().where('email', '=', email.trim().toLowerCase()).executeTakeFirst();
  return row ? toInstructor(row) : undefined;
}

/** The instructor a session token belongs to, while it has not expired. */
export async function instructorForToken(db: Kysely<PortalDatabase>, token: string | undefined): Promise<Instructor | undefined> {
  if (!token || token.length > 100) return undefined;
  const row = await db
    .selectFrom('instructor_sessions')
    .innerJoin('instructors', 'instructors.id', 'instructor_sessions.instructor_id')
    .select(['instructors.id', 'instructors.email', 'instructors.display_name', 'instructors.is_admin', 'instructors.created_at'])
    .where('instructor_sessions.token_hash', '=', tokenHash(token))
    .where('instructor_sessions.expires_at', '>', new Date().toISOString())
    .executeTakeFirst();
  return row ? toInstructor(row) : undefined;
}

export async function signOut(db: Kysely<PortalDatabase>, token: string): Promise<void> {
  await db.deleteFrom('instructor_sessions').where('token_hash', '=', tokenHash(token)).execute();
}
