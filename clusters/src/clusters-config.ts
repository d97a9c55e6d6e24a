// One validated configuration for everything under clusters/, read from CLUSTERS_* variables.
// Every default lives here; a bad value stops the start with a message naming the variable.

import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { providerKinds, type ProviderKind } from './environment-store';
import { kindSteps, type StepName } from './step-names';

const intVar = (min: number, fallback: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `expected a whole number ≥ ${min}`)
    .transform(Number)
    .pipe(z.number().int().min(min, `expected a whole number ≥ ${min}`))
    .default(fallback);

const portRange = z
  .string()
  .trim()
  .regex(/^\d{2,5}-\d{2,5}$/, 'expected "<first>-<last>", e.g. 18080-18179')
  .transform((s) => {
    const [a, b] = s.split('-').map(Number) as [number, number];
    return { first: a, last: b };
  })
  .refine((r) => r.first >= 1024 && r.last <= 65535 && r.first <= r.last, 'expected 1024 ≤ first ≤ last ≤ 65535')
  .default({ first: 18080, last: 18179 });

const envSchema = z.object({
  CLUSTERS_PROVIDER: z.enum(providerKinds, { message: `expected one of ${providerKinds.join(', ')}` }).optional(),
  CLUSTERS_POOL_SIZE: intVar(0, 1),
  CLUSTERS_MAX_CLUSTERS: intVar(1, 4),
  CLUSTERS_MAX_CONCURRENT_PROVISIONS: intVar(1, 2),
  CLUSTERS_MEMORY_PER_CLUSTER_MIB: intVar(256, 4608),
  CLUSTERS_RESERVED_MEMORY_MIB: intVar(0, 4096),
  CLUSTERS_TTL_MINUTES: intVar(1, 120),
  /** How long a learner may keep one environment by asking for more time (from assignment). */
  CLUSTERS_MAX_LIFETIME_MINUTES: intVar(1, 480),
  CLUSTERS_PROVISION_ATTEMPTS: intVar(1, 3),
  CLUSTERS_TICK_SECONDS: intVar(1, 5),
  CLUSTERS_HEALTH_INTERVAL_SECONDS: intVar(5, 60),
  CLUSTERS_DATA_DIR: z.string().trim().min(1, 'expected a directory path').default('.data/clusters'),
  CLUSTERS_DB_PATH: z.string().trim().min(1, 'expected a file path').optional(),
  CLUSTERS_EXISTING_CONFIG: z.string().trim().min(1, 'expected a file path').optional(),
  CLUSTERS_LOCAL_KUBECONFIG: z.string().trim().min(1, 'expected a file path').optional(),
  CLUSTERS_NAME_PREFIX: z
    .string()
    .trim()
    .regex(/^[a-z][a-z0-9-]{0,11}$/, 'expected 1–12 chars [a-z0-9-], starting with a letter')
    .default('iw-'),
  CLUSTERS_HTTP_PORT_RANGE: portRange,
  /** Steps to leave out, e.g. `preload-images` on a host with a fast registry mirror. Never skip smoke in production. */
  CLUSTERS_SKIP_STEPS: z
    .string()
    .trim()
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(z.enum(kindSteps, { message: `expected a comma list of steps: ${kindSteps.join(', ')}` })))
    .default([]),
  CLUSTERS_ADOPT_ORPHANS: z.enum(['true', 'false'], { message: 'expected true or false' }).default('true'),
  /** Multiplies every step timeout; tests use small values, slow hosts large ones. */
  CLUSTERS_TIMEOUT_SCALE: z
    .string()
    .trim()
    .regex(/^\d+(\.\d+)?$/, 'expected a positive number')
    .transform(Number)
    .pipe(z.number().positive('expected a positive number'))
    .default(1),
});

export interface ClustersConfig {
  provider: ProviderKind;
  /** How the provider was chosen: set explicitly or detected from PATH. */
  providerSource: 'env' | 'detected';
  poolSize: number;
  maxClusters: number;
  maxConcurrentProvisions: number;
  memoryPerClusterMiB: number;
  reservedMemoryMiB: number;
  ttlMinutes: number;
  /** The hard limit a learner's extensions cannot pass (never less than one TTL). */
  maxLifetimeMinutes: number;
  provisionAttempts: number;
  tickSeconds: number;
  healthIntervalSeconds: number;
  dataDir: string;
  dbPath: string;
  existingConfigPath: string | null;
  localKubeconfigPath: string | null;
  namePrefix: string;
  httpPortRange: { first: number; last: number };
  adoptOrphans: boolean;
  timeoutScale: number;
  skipSteps: StepName[];
}

export class ClustersConfigError extends Error {
  override readonly name = 'ClustersConfigError';
  constructor(readonly problems: string[]) {
    super(`invalid clusters configuration:\n  ${problems.join('\n  ')}`);
  }
}

function onPath(executable: string, envPath: string | undefined): boolean {
  for (const dir of (envPath ?? '').split(path.delimiter)) {
    if (!dir) continue;
    try {
      accessSync(path.join(dir, executable), constants.X_OK);
      return true;
    } catch {
      // not in this directory
    }
  }
  return false;
}

/** Reads CLUSTERS_* from `env` (default process.env). Relative paths resolve against `cwd`. */
export function loadClustersConfig(
  env: Record<string, string | undefined> = process.env,
  cwd: string = process.cwd(),
): ClustersConfig {
  const relevant = Object.fromEntries(
    Object.entries(env).filter(([k, v]) => k.startsWith('CLUSTERS_') && v !== undefined && v !== ''),
  );
  const parsed = envSchema.safeParse(relevant);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? '?');
      return `${key}=${JSON.stringify(relevant[key] ?? '')}: ${issue.message}`;
    });
    throw new ClustersConfigError(problems);
  }
  const v = parsed.data;
  const detected: ProviderKind = onPath('docker', env.PATH) && onPath('kind', env.PATH) ? 'kind' : 'local';
  const provider = v.CLUSTERS_PROVIDER ?? detected;
  const problems: string[] = [];
  if (provider === 'existing' && !v.CLUSTERS_EXISTING_CONFIG) {
    problems.push('CLUSTERS_EXISTING_CONFIG: required when CLUSTERS_PROVIDER=existing (a YAML file listing kubeconfigs)');
  }
  if (v.CLUSTERS_MAX_CONCURRENT_PROVISIONS > v.CLUSTERS_MAX_CLUSTERS) {
    problems.push(
      `CLUSTERS_MAX_CONCURRENT_PROVISIONS=${v.CLUSTERS_MAX_CONCURRENT_PROVISIONS}: must not exceed CLUSTERS_MAX_CLUSTERS=${v.CLUSTERS_MAX_CLUSTERS}`,
    );
  }
  if (problems.length > 0) throw new ClustersConfigError(problems);
  const dataDir = path.resolve(cwd, v.CLUSTERS_DATA_DIR);
  return {
    provider,
    providerSource: v.CLUSTERS_PROVIDER ? 'env' : 'detected',
    poolSize: v.CLUSTERS_POOL_SIZE,
    maxClusters: v.CLUSTERS_MAX_CLUSTERS,
    maxConcurrentProvisions: v.CLUSTERS_MAX_CONCURRENT_PROVISIONS,
    memoryPerClusterMiB: v.CLUSTERS_MEMORY_PER_CLUSTER_MIB,
    reservedMemoryMiB: v.CLUSTERS_RESERVED_MEMORY_MIB,
    ttlMinutes: v.CLUSTERS_TTL_MINUTES,
    maxLifetimeMinutes: Math.max(v.CLUSTERS_MAX_LIFETIME_MINUTES, v.CLUSTERS_TTL_MINUTES),
    provisionAttempts: v.CLUSTERS_PROVISION_ATTEMPTS,
    tickSeconds: v.CLUSTERS_TICK_SECONDS,
    healthIntervalSeconds: v.CLUSTERS_HEALTH_INTERVAL_SECONDS,
    dataDir,
    dbPath: path.resolve(cwd, v.CLUSTERS_DB_PATH ?? path.join(dataDir, 'clusters.sqlite')),
    existingConfigPath: v.CLUSTERS_EXISTING_CONFIG ? path.resolve(cwd, v.CLUSTERS_EXISTING_CONFIG) : null,
    localKubeconfigPath: v.CLUSTERS_LOCAL_KUBECONFIG ? path.resolve(cwd, v.CLUSTERS_LOCAL_KUBECONFIG) : null,
    namePrefix: v.CLUSTERS_NAME_PREFIX,
    httpPortRange: v.CLUSTERS_HTTP_PORT_RANGE,
    adoptOrphans: v.CLUSTERS_ADOPT_ORPHANS === 'true',
    timeoutScale: v.CLUSTERS_TIMEOUT_SCALE,
    skipSteps: v.CLUSTERS_SKIP_STEPS,
  };
}
