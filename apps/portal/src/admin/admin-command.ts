// The operator's commands (`npm run admin -- <command>`): instructor accounts are made here, by
// whoever runs the platform, never through the web. Parsing and running are separate from the
// process entry (admin-cli.ts) so tests drive them with a real database and captured output.

import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { Kysely } from 'kysely';
import { ZodError } from 'zod';
import type { PortalDatabase } from '../db/database-schema';
import { createInstructor, InstructorExistsError, listInstructors } from '../instructors/instructor-store';

export interface AdminIo {
  /** The whole of standard input (the password is read from it, never from argv or the environment). */
  readStdin(): Promise<string>;
  out(line: string): void;
  err(line: string): void;
}

export const adminUsage = `usage: npm run admin -- <command>
  create-instructor --email <email> --name <display name> [--admin] [--oidc-only]
      reads the password (at least 12 characters) from standard input, e.g.
      printf '%s' "$PASSWORD" | npm run admin -- create-instructor --email ada@example.org --name Ada
      --oidc-only: no password (none is read); the instructor signs in through PORTAL_OIDC_ISSUER
  list-instructors`;

/** Runs one command; returns the process exit code. */
export async function runAdminCommand(argv: string[], db: Kysely<PortalDatabase>, io: AdminIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === 'create-instructor') {
      const { values } = parseArgs({
        args: rest,
        options: {
          email: { type: 'string' },
          name: { type: 'string' },
          admin: { type: 'boolean', default: false },
          'oidc-only': { type: 'boolean', default: false },
        },
        strict: true,
      });
      if (!values.email || !values.name) {
        io.err('create-instructor needs --email and --name');
        io.err(adminUsage);
        return 2;
      }
      // An OIDC-only account gets a random password nobody is told: password sign-in cannot succeed.
      const oidcOnly = values['oidc-only'];
      const password = oidcOnly ? randomBytes(32).toString('base64url') : (await io.readStdin()).replace(/\r?\n$/, '');
      const instructor = await createInstructor(db, {
        email: values.email,
        displayName: values.name,
        password,
        isAdmin: values.admin,
      });
      io.out(
        `created instructor ${instructor.email} (${instructor.displayName})${instructor.isAdmin ? ', admin' : ''}: sign in at /instructor/sign-in${oidcOnly ? ' with the OIDC issuer (no password)' : ''}`,
      );
      return 0;
    }
    if (command === 'list-instructors') {
      const all = await listInstructors(db);
      if (all.length === 0) io.out('no instructors yet: npm run admin -- create-instructor --email … --name …');
      for (const i of all) io.out(`${i.email}\t${i.displayName}\t${i.isAdmin ? 'admin' : 'instructor'}\t${i.createdAt}`);
      return 0;
    }
    io.err(command ? `unknown command "${command}"` : 'no command given');
    io.err(adminUsage);
    return 2;
  } catch (error) {
    if (error instanceof ZodError) {
      for (const issue of error.issues) io.err(`${issue.path.join('.') === 'password' ? 'password (standard input)' : `--${String(issue.path[0]).replace('displayName', 'name')}`} ${issue.message}`);
      return 2;
    }
    if (error instanceof InstructorExistsError) {
      io.err(error.message);
      return 1;
    }
    if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
      io.err(error.message);
      io.err(adminUsage);
      return 2;
    }
    throw error;
  }
}
