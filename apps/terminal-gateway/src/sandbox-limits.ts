// Per-shell resource limits: what the gateway asks for, and how this host can enforce each one.
// cgroup v2 (when this process's cgroup is delegated to it) bounds a whole sandbox; without it,
// rlimits bound each process, set inside the sandbox after its user namespace exists so that
// RLIMIT_NPROC counts this sandbox's processes only (the kernel counts per user namespace).
import type { GatewayConfig } from './gateway-config';

export interface SandboxLimits {
  pids: number;
  memoryBytes: number;
  /** cgroup `cpu.weight` (1..10000, 100 = a normal process). */
  cpuWeight: number;
  openFiles: number;
  fileSizeBytes: number;
  tmpBytes: number;
  homeBytes: number;
}

const mib = 1024 * 1024;

export type SandboxLimitVariables = Pick<
  GatewayConfig,
  'GATEWAY_SANDBOX_PIDS' | 'GATEWAY_SANDBOX_MEMORY_MB' | 'GATEWAY_SANDBOX_CPU_WEIGHT' | 'GATEWAY_SANDBOX_OPEN_FILES' | 'GATEWAY_SANDBOX_FILE_SIZE_MB' | 'GATEWAY_SANDBOX_TMP_MB' | 'GATEWAY_SANDBOX_HOME_MB'
>;

export function sandboxLimitsFromConfig(config: SandboxLimitVariables): SandboxLimits {
  return {
    pids: config.GATEWAY_SANDBOX_PIDS,
    memoryBytes: config.GATEWAY_SANDBOX_MEMORY_MB * mib,
    cpuWeight: config.GATEWAY_SANDBOX_CPU_WEIGHT,
    openFiles: config.GATEWAY_SANDBOX_OPEN_FILES,
    fileSizeBytes: config.GATEWAY_SANDBOX_FILE_SIZE_MB * mib,
    tmpBytes: config.GATEWAY_SANDBOX_TMP_MB * mib,
    homeBytes: config.GATEWAY_SANDBOX_HOME_MB * mib,
  };
}

/**
 * The nice value the kernel's scheduler gives the same share as `weight` (its weight table steps
 * by ~1.25 per nice level, 100 ↔ nice 0). Never below 0: a sandbox never outranks the gateway.
 */
export function niceForCpuWeight(weight: number): number {
  const nice = Math.round(-Math.log(weight / 100) / Math.log(1.25));
  return Math.min(19, Math.max(0, nice));
}

/**
 * `prlimit` options run inside the sandbox, soft = hard so the learner cannot raise them. With a
 * cgroup, only what cgroups do not bound (open files, file size); without, processes and memory too.
 * RLIMIT_DATA rather than RLIMIT_AS: Go (kubectl) and V8 reserve large address ranges they never
 * touch; DATA counts the private writable memory a process really maps.
 */
export function prlimitOptions(limits: SandboxLimits, byCgroup: boolean): string[] {
  const both = (n: number) => `${n}:${n}`;
  const files = [`--nofile=${both(limits.openFiles)}`, `--fsize=${both(limits.fileSizeBytes)}`];
  return byCgroup ? files : [`--nproc=${both(limits.pids)}`, ...files, `--data=${both(limits.memoryBytes)}`];
}

/** How each limit is enforced on this host; the start log and `clusters doctor` print it. */
export interface LimitEnforcement {
  cgroup: boolean;
  /** Why cgroup v2 is or is not used (its directory, or the reason). */
  cgroupNote?: string;
  lines: { limit: keyof SandboxLimits; value: string; how: string; enforced: boolean }[];
}

export function describeLimitEnforcement(limits: SandboxLimits, host: { cgroup: boolean; cgroupNote?: string; prlimit: boolean; nice: boolean }): LimitEnforcement {
  const mb = (bytes: number) => `${Math.round(bytes / mib)} MiB`;
  const rl = host.prlimit;
  const lines: LimitEnforcement['lines'] = [
    host.cgroup
      ? { limit: 'pids', value: String(limits.pids), how: 'cgroup v2 pids.max for the whole sandbox', enforced: true }
      : { limit: 'pids', value: String(limits.pids), how: rl ? 'RLIMIT_NPROC, counted per sandbox (its own user namespace)' : 'not enforced: prlimit is missing', enforced: rl },
    host.cgroup
      ? { limit: 'memoryBytes', value: mb(limits.memoryBytes), how: 'cgroup v2 memory.max for the whole sandbox (OOM kills inside it)', enforced: true }
      : { limit: 'memoryBytes', value: mb(limits.memoryBytes), how: rl ? 'RLIMIT_DATA per process (a sandbox may use up to pids × this)' : 'not enforced: prlimit is missing', enforced: rl },
    host.cgroup
      ? { limit: 'cpuWeight', value: String(limits.cpuWeight), how: 'cgroup v2 cpu.weight', enforced: true }
      : { limit: 'cpuWeight', value: String(limits.cpuWeight), how: host.nice ? `nice ${niceForCpuWeight(limits.cpuWeight)} for the sandbox and its session's autogroup (no cgroup: a priority, not a share)` : 'not enforced: nice is missing', enforced: host.nice },
    { limit: 'openFiles', value: String(limits.openFiles), how: rl ? 'RLIMIT_NOFILE per process' : 'not enforced: prlimit is missing', enforced: rl },
    { limit: 'fileSizeBytes', value: mb(limits.fileSizeBytes), how: rl ? 'RLIMIT_FSIZE per file written' : 'not enforced: prlimit is missing', enforced: rl },
    { limit: 'tmpBytes', value: mb(limits.tmpBytes), how: 'bwrap --size on the /tmp tmpfs', enforced: true },
    { limit: 'homeBytes', value: mb(limits.homeBytes), how: 'measured by the gateway (du) at start and every GATEWAY_SANDBOX_HOME_CHECK_SECONDS; over it the learner is warned, still over at the next look the shell ends', enforced: true },
  ];
  return { cgroup: host.cgroup, cgroupNote: host.cgroupNote, lines };
}

export function formatLimitEnforcement(enforcement: LimitEnforcement): string[] {
  const lines = enforcement.lines.map((l) => `${l.enforced ? 'enforced' : 'NOT enforced'}: ${l.limit} ${l.value} (${l.how})`);
  if (enforcement.cgroupNote) lines.push(`cgroup v2: ${enforcement.cgroup ? 'used' : 'not used'} (${enforcement.cgroupNote})`);
  return lines;
}
