import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseDatabaseLocation, DatabaseLocationError, type DatabaseLocation } from '@istio-workshop/clusters';
import { z } from 'zod';

/** Walks up from the working directory to the repo root (the folder holding labs/modules.yaml). */
function findRepoRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (existsSync(path.join(dir, 'labs', 'modules.yaml'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return start;
    dir = parent;
  }
}

const repoRoot = findRepoRoot(process.cwd());

function isIssuerUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || (url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname));
  } catch {
    return false;
  }
}

function isBareOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.pathname === '/' && !url.search && !url.hash && !url.username;
  } catch {
    return false;
  }
}

const envSchema = z.object({
  WORKSHOP_TOKEN_SECRET: z
    .string({ error: 'is required: a random string of at least 32 characters shared with the terminal gateway' })
    .min(32, 'must be at least 32 characters'),
  PORTAL_DATA_DIR: z.string().min(1).default(path.join(repoRoot, '.data')),
  PORTAL_DATABASE_PATH: z.string().min(1).optional(),
  /** postgres://… makes several portal replicas share one PostgreSQL database; unset = the SQLite file. */
  DATABASE_URL: z.string().optional(),
  /** JSON-lines file of every learner and instructor event; default <PORTAL_DATA_DIR>/audit.jsonl. */
  PORTAL_AUDIT_LOG: z.string().min(1).optional(),
  /** Minutes without a passed step after which the instructor's grid marks a learner as stuck. */
  PORTAL_STUCK_AFTER_MINUTES: z.coerce.number().int().min(1).max(600).default(10),
  /** Failed checks of one step in a row after which the grid marks a learner as stuck. */
  PORTAL_STUCK_AFTER_FAILURES: z.coerce.number().int().min(2).max(100).default(3),
  /** Minutes before a cohort's start time at which its pre-warmed environments start being made. */
  PORTAL_PREWARM_LEAD_MINUTES: z.coerce.number().int().min(0).max(24 * 60).default(30),
  PORTAL_LABS_DIR: z.string().min(1).default(path.join(repoRoot, 'labs')),
  /** The terminal gateway as the BROWSER reaches it. */
  PORTAL_GATEWAY_URL: z
    .string()
    .default('ws://127.0.0.1:3001')
    .refine((v) => /^wss?:\/\/[^/]+/.test(v), 'must be a ws:// or wss:// URL, e.g. ws://127.0.0.1:3001'),
  PORTAL_TERMINAL_TOKEN_TTL_SECONDS: z.coerce.number().int().min(10).max(3600).default(120),
  PORTAL_CHECK_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(600).default(90),
  /** Ingress URL probes use from the platform host (kind: http://127.0.0.1:<port>); empty = from inside the cluster. */
  PORTAL_INGRESS_URL: z.string().url().optional(),
  /**
   * The portal as learners' browsers reach it, e.g. https://workshop.example.org behind a
   * TLS-terminating proxy: the only Origin API writes are accepted from, and https makes the
   * learner cookie Secure. Unset: the origin each request was made to.
   */
  PORTAL_PUBLIC_URL: z
    .string()
    .optional()
    .refine((v) => v === undefined || isBareOrigin(v), 'must be an http:// or https:// URL with no path, e.g. https://workshop.example.org'),
  /** Checks one learner may have running at once (different steps; the same step is always one run). */
  PORTAL_CHECKS_PER_LEARNER: z.coerce.number().int().min(1).max(20).default(2),
  /** New anonymous learners one client address may create per minute (a burst of that many, refilled evenly). */
  PORTAL_NEW_LEARNERS_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(60),
  PORTAL_LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  /** OpenID Connect issuer for instructor sign-in (with client id and secret); unset = passwords only. */
  PORTAL_OIDC_ISSUER: z
    .string()
    .optional()
    .refine((v) => v === undefined || isIssuerUrl(v), 'must be an https:// URL (http:// only on 127.0.0.1 or localhost), e.g. https://accounts.example.org'),
  PORTAL_OIDC_CLIENT_ID: z.string().min(1).optional(),
  PORTAL_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  /** The button says "Sign in with <this>"; default the issuer's host name. */
  PORTAL_OIDC_NAME: z.string().max(60).optional(),
  /** 1: a verified email with no instructor account gets one (not an admin) on first sign-in. */
  PORTAL_OIDC_AUTO_CREATE: z
    .enum(['0', '1'], { error: 'must be 1 (create accounts) or 0' })
    .optional()
    .transform((v) => v === '1'),
});

/** Refuses a half-configured issuer at start rather than at the first instructor's sign-in. */
function oidcProblems(c: z.infer<typeof envSchema>): string[] {
  const set = { PORTAL_OIDC_ISSUER: c.PORTAL_OIDC_ISSUER, PORTAL_OIDC_CLIENT_ID: c.PORTAL_OIDC_CLIENT_ID, PORTAL_OIDC_CLIENT_SECRET: c.PORTAL_OIDC_CLIENT_SECRET };
  const given = Object.entries(set).filter(([, v]) => v !== undefined);
  if (given.length === 0) return [];
  const missing = Object.entries(set)
    .filter(([, v]) => v === undefined)
    .map(([k]) => `${k} is required when ${given.map(([k2]) => k2).join(', ')} ${given.length === 1 ? 'is' : 'are'} set (OIDC sign-in needs all three)`);
  if (!c.PORTAL_PUBLIC_URL) missing.push('PORTAL_PUBLIC_URL is required for OIDC sign-in: the issuer redirects to <PORTAL_PUBLIC_URL>/api/instructor/oidc/callback');
  return missing;
}

export type PortalConfig = z.infer<typeof envSchema> & { databasePath: string; database: DatabaseLocation; repoRoot: string };

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid portal configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the portal's environment variables; every bad value is named with its rule. */
export function parsePortalConfig(env: Record<string, string | undefined>): PortalConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success)
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'} ${i.message}`));
  const c = parsed.data;
  const oidc = oidcProblems(c);
  if (oidc.length) throw new ConfigError(oidc);
  const databasePath = c.PORTAL_DATABASE_PATH ?? path.join(c.PORTAL_DATA_DIR, 'portal.sqlite');
  try {
    return { ...c, repoRoot, databasePath, database: parseDatabaseLocation(c.DATABASE_URL, databasePath) };
  } catch (error) {
    if (error instanceof DatabaseLocationError) throw new ConfigError([error.message]);
    throw error;
  }
}

/**
 * Just the database location, for tools that need no other setting (the admin CLI): the same
 * defaults the portal uses, so both open one database.
 */
export function databaseLocationFromEnv(env: Record<string, string | undefined>): DatabaseLocation {
  const dataDir = env.PORTAL_DATA_DIR || path.join(repoRoot, '.data');
  return parseDatabaseLocation(env.DATABASE_URL, env.PORTAL_DATABASE_PATH || path.join(dataDir, 'portal.sqlite'));
}

let cached: PortalConfig | undefined;
export function portalConfig(): PortalConfig {
  cached ??= parsePortalConfig(process.env);
  return cached;
}
