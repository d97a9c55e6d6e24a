import pino from 'pino';
import { z } from 'zod';
import type { CheckLogger } from './check-api';

/** Checker configuration from the environment (prefix CHECKERS_), validated once. */
const envSchema = z.object({
  CHECKERS_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('warn'),
});

export function checkerEnv(env: NodeJS.ProcessEnv = process.env): z.infer<typeof envSchema> {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`invalid ${String(issue?.path[0] ?? 'CHECKERS_*')}: ${issue?.message ?? ''}`);
  }
  return parsed.data;
}

/** JSON lines on stderr (stdout belongs to the CLI's result). */
export function createCheckerLogger(level = checkerEnv().CHECKERS_LOG_LEVEL): CheckLogger & { error: CheckLogger['warn'] } {
  return pino({ name: 'checkers', level, base: { component: 'checkers' } }, pino.destination(2));
}

export const silentLogger: CheckLogger & { error: CheckLogger['warn'] } = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
