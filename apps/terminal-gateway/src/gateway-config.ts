// The gateway's whole configuration, read once from process.env and validated at start.
import { resolve } from 'node:path';
import { z } from 'zod';

const sharedSystemDirs = ['/usr', '/opt', '/etc', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'];

/** A whole number within bounds, read from a string; empty means the default. */
function intVar(min: number, max: number, fallback: number) {
  return z.preprocess(
    emptyAsUnset,
    z.coerce.number({ error: 'must be a number' }).int('must be an integer').min(min, `must be >= ${min}`).max(max, `must be <= ${max}`).default(fallback),
  );
}

const port = z.coerce.number({ error: 'must be a number' }).int('must be an integer').min(0, 'must be 0..65535').max(65535, 'must be 0..65535');

/** Empty strings count as unset, so `GATEWAY_X=` in a .env file means "use the default". */
const emptyAsUnset = (value: unknown): unknown => (value === '' ? undefined : value);

const originList = z
  .string()
  .transform((raw) => raw.split(',').map((o) => o.trim()).filter((o) => o.length > 0))
  .pipe(
    z
      .array(
        z.string().refine((o) => {
          try {
            const url = new URL(o);
            return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === o;
          } catch {
            return false;
          }
        }, 'each entry must be an origin like https://portal.example.org (scheme://host[:port], no path or trailing slash)'),
      )
      .min(1, 'must list at least one origin'),
  );

export const gatewayConfigSchema = z.object({
  GATEWAY_HOST: z.preprocess(emptyAsUnset, z.string().min(1).default('127.0.0.1')),
  GATEWAY_PORT: z.preprocess(emptyAsUnset, port.default(3001)),
  /** Browser origins allowed to open terminals (the portal's public URL). */
  GATEWAY_ALLOWED_ORIGINS: z.preprocess(emptyAsUnset, originList.default(['http://127.0.0.1:3000', 'http://localhost:3000'])),
  /** Parent directory of the learners' private HOME directories (local targets). */
  GATEWAY_HOMES_DIR: z
    .preprocess(emptyAsUnset, z.string().min(1).default('.data/homes'))
    .transform((dir) => resolve(dir))
    // These trees are mounted read-only into every sandbox: homes there would be visible to all.
    .refine((dir) => !sharedSystemDirs.some((sys) => dir === sys || dir.startsWith(`${sys}/`)), {
      message: 'must not be inside /usr, /opt, /etc, /bin, /sbin or /lib*, which every sandbox can read',
    }),
  /** How long a shell survives after its last client left, waiting for a re-attach. */
  GATEWAY_GRACE_SECONDS: z.preprocess(emptyAsUnset, z.coerce.number({ error: 'must be a number' }).min(0, 'must be >= 0').max(86_400, 'must be <= 86400').default(60)),
  /** A session without learner input (or heartbeat) for this long is ended. */
  GATEWAY_IDLE_MINUTES: z.preprocess(emptyAsUnset, z.coerce.number({ error: 'must be a number' }).positive('must be > 0').max(10_080, 'must be <= 10080').default(30)),
  GATEWAY_MAX_SESSIONS_PER_LEARNER: z.preprocess(emptyAsUnset, z.coerce.number({ error: 'must be a number' }).int('must be an integer').min(1, 'must be >= 1').max(100, 'must be <= 100').default(3)),
  /** Only `single-user`: run local shells WITHOUT a sandbox (a developer's own machine). */
  GATEWAY_LOCAL_UNSANDBOXED: z.preprocess(emptyAsUnset, z.literal('single-user', { error: 'must be unset or exactly "single-user"' }).optional()),
  /** Host uid/gid the sandboxes run as when the gateway runs as root (never 0). */
  GATEWAY_SANDBOX_UID: intVar(1, 4_294_967_294, 65534),
  GATEWAY_SANDBOX_GID: intVar(1, 4_294_967_294, 65534),
  /** Per-shell limits (see sandbox-limits.ts for how each is enforced). */
  GATEWAY_SANDBOX_PIDS: intVar(16, 100_000, 256),
  GATEWAY_SANDBOX_MEMORY_MB: intVar(64, 1_048_576, 1024),
  GATEWAY_SANDBOX_CPU_WEIGHT: intVar(1, 10_000, 10),
  GATEWAY_SANDBOX_OPEN_FILES: intVar(64, 1_048_576, 1024),
  GATEWAY_SANDBOX_FILE_SIZE_MB: intVar(1, 1_048_576, 256),
  GATEWAY_SANDBOX_TMP_MB: intVar(1, 1_048_576, 256),
  GATEWAY_SANDBOX_HOME_MB: intVar(1, 1_048_576, 512),
  /** Where cgroup v2 is mounted, and the cgroup delegated to the gateway (default: its own). */
  GATEWAY_CGROUP_ROOT: z.preprocess(emptyAsUnset, z.string().startsWith('/', 'must be an absolute path').default('/sys/fs/cgroup')),
  GATEWAY_CGROUP_PARENT: z.preprocess(emptyAsUnset, z.string().min(1).optional()),
  /** How often the size of a live shell's home is measured. */
  GATEWAY_SANDBOX_HOME_CHECK_SECONDS: intVar(1, 3600, 60),
  /** Admission: live terminals on this gateway, and new ones per second (burst of the same size). */
  GATEWAY_MAX_TERMINALS: intVar(1, 100_000, 200),
  GATEWAY_NEW_TERMINALS_PER_SECOND: intVar(1, 10_000, 10),
  /** Input queued for a pty beyond this pauses reading the learner's connection. */
  GATEWAY_INPUT_QUEUE_KB: intVar(16, 65_536, 256),
  /**
   * Where ptys are spawned: `process`, a small child process (node-pty forks synchronously, and
   * forking the gateway itself stalls every open terminal), or `inline`, in the gateway.
   */
  GATEWAY_PTY_HOST: z.preprocess(emptyAsUnset, z.enum(['process', 'inline']).default('process')),
  GATEWAY_KUBECTL: z.preprocess(emptyAsUnset, z.string().min(1).default('kubectl')),
  GATEWAY_LOG_LEVEL: z.preprocess(emptyAsUnset, z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')),
  /** Shared with the portal, which signs terminal tokens with it. */
  WORKSHOP_TOKEN_SECRET: z
    .string({ error: 'is required: a random string of at least 32 characters shared with the portal' })
    .min(32, 'must be at least 32 characters (e.g. `openssl rand -hex 32`)'),
});

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;

export class GatewayConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid terminal gateway configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'GatewayConfigError';
  }
}

/** Parses the environment; throws GatewayConfigError listing every bad variable and its rule. */
export function loadGatewayConfig(env: Record<string, string | undefined> = process.env): GatewayConfig {
  const result = gatewayConfigSchema.safeParse(env);
  if (result.success) return result.data;
  throw new GatewayConfigError(result.error.issues.map((issue) => `${String(issue.path[0] ?? '(environment)')} ${issue.message}`));
}
