// What this host offers local sandboxes, found out once at start: bubblewrap and its features,
// the identity sandboxes run as, the helper tools, the seccomp program, and how each per-shell
// limit is enforced. The start log and `clusters doctor` print the result.
import type { Logger } from 'pino';
import { CgroupDelegation, detectCgroupV2, type CgroupDetection } from './cgroup-delegation';
import { GatewayConfigError, gatewayConfigSchema, type GatewayConfig } from './gateway-config';
import { inspectHostLayout, probeSandbox, sandboxIdentityCanReach, writeSandboxIdentityFiles, writeSeccompFile, type HostLayout, type SandboxMode, type SandboxOwner } from './local-sandbox';
import { buildSeccompProgram, encodeSeccompProgram, seccompArchOf } from './seccomp-filter';
import { describeLimitEnforcement, formatLimitEnforcement, sandboxLimitsFromConfig, type LimitEnforcement, type SandboxLimits } from './sandbox-limits';
import { findExecutable, type SandboxTools } from './spawn-spec';

/** PATH inside the sandbox; prlimit and socat must be found there (they run inside). */
const sandboxPath = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin';

export interface SandboxHost {
  mode: SandboxMode;
  layout: HostLayout;
  identityDir: string;
  tools: SandboxTools;
  owner: SandboxOwner;
  seccompFile?: string;
  limits: SandboxLimits;
  /** Set when sessions get cgroup v2 limits (pids, memory, cpu). */
  cgroup?: CgroupDelegation;
  enforcement: LimitEnforcement;
  /** Isolation facts beside the limits: network, uid, seccomp, user namespaces. */
  isolation: string[];
}

export function findSandboxTools(): SandboxTools {
  return {
    setpriv: findExecutable('setpriv', process.env.PATH ?? sandboxPath),
    nice: findExecutable('nice', process.env.PATH ?? sandboxPath),
    prlimit: findExecutable('prlimit', sandboxPath) !== undefined,
    socat: findExecutable('socat', sandboxPath) !== undefined,
  };
}

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

type CgroupVariables = Pick<GatewayConfig, 'GATEWAY_CGROUP_ROOT' | 'GATEWAY_CGROUP_PARENT'>;

function detectFromConfig(config: CgroupVariables): CgroupDetection {
  return detectCgroupV2({ root: config.GATEWAY_CGROUP_ROOT, parent: config.GATEWAY_CGROUP_PARENT });
}

/**
 * How each per-shell limit would be enforced on this host with `limits`, without starting or
 * changing anything (for `clusters doctor`, which runs in its own cgroup: set
 * GATEWAY_CGROUP_PARENT to ask about the gateway's).
 */
export function inspectLimitEnforcement(limits: SandboxLimits, cgroup: CgroupDetection, tools: SandboxTools = findSandboxTools()): LimitEnforcement {
  const cgroupNote = cgroup.ok ? `sessions would go under ${cgroup.parentDir}/sessions` : cgroup.reason;
  return describeLimitEnforcement(limits, { cgroup: cgroup.ok, cgroupNote, prlimit: tools.prlimit, nice: tools.nice !== undefined });
}

const limitVariables = {
  GATEWAY_CGROUP_ROOT: true,
  GATEWAY_CGROUP_PARENT: true,
  GATEWAY_SANDBOX_PIDS: true,
  GATEWAY_SANDBOX_MEMORY_MB: true,
  GATEWAY_SANDBOX_CPU_WEIGHT: true,
  GATEWAY_SANDBOX_OPEN_FILES: true,
  GATEWAY_SANDBOX_FILE_SIZE_MB: true,
  GATEWAY_SANDBOX_TMP_MB: true,
  GATEWAY_SANDBOX_HOME_MB: true,
} as const;

/**
 * One line per per-shell limit, saying whether and how this host enforces it, for the limits the
 * gateway would read from `env` (`clusters doctor` prints them). Throws GatewayConfigError on a bad value.
 */
export function describeHostLimitEnforcement(env: Record<string, string | undefined> = process.env): string[] {
  const parsed = gatewayConfigSchema.pick(limitVariables).safeParse(env);
  if (!parsed.success) throw new GatewayConfigError(parsed.error.issues.map((issue) => `${String(issue.path[0] ?? '(environment)')} ${issue.message}`));
  const limits = sandboxLimitsFromConfig(parsed.data);
  return formatLimitEnforcement(inspectLimitEnforcement(limits, detectFromConfig(parsed.data)));
}

export async function prepareSandboxHost(config: GatewayConfig, logger: Logger, bwrapPath: string): Promise<SandboxHost> {
  const layout = inspectHostLayout();
  const tools = findSandboxTools();
  const limits = sandboxLimitsFromConfig(config);
  const root = isRoot();
  const owner: SandboxOwner = root ? { uid: config.GATEWAY_SANDBOX_UID, gid: config.GATEWAY_SANDBOX_GID } : undefined;
  let mode: SandboxMode;
  if (root && !tools.setpriv) mode = { kind: 'unavailable', reason: 'the gateway runs as root and setpriv (util-linux) is missing, so sandboxes cannot drop to an unprivileged uid' };
  else mode = await probeSandbox(bwrapPath, owner && tools.setpriv ? { ...owner, setprivPath: tools.setpriv } : undefined);

  let identityDir = '';
  let seccompFile: string | undefined;
  const isolation: string[] = [];
  if (mode.kind === 'bwrap') identityDir = writeSandboxIdentityFiles(config.GATEWAY_HOMES_DIR);
  if (mode.kind === 'bwrap' && owner && tools.setpriv && !(await sandboxIdentityCanReach(identityDir, { ...owner, setprivPath: tools.setpriv })))
    mode = {
      kind: 'unavailable',
      reason: `uid ${owner.uid} cannot pass through the directories above ${config.GATEWAY_HOMES_DIR} (bwrap runs as that uid and binds the homes from there): make them searchable (chmod o+x) or choose another GATEWAY_HOMES_DIR`,
    };
  if (mode.kind === 'bwrap') {
    const arch = seccompArchOf();
    if (arch) seccompFile = writeSeccompFile(config.GATEWAY_HOMES_DIR, encodeSeccompProgram(buildSeccompProgram(arch)));
    isolation.push(
      'network: own namespace (loopback only); the cluster API is relayed through a unix socket' + (tools.socat ? '' : ' — BUT socat is missing, so kubectl cannot reach clusters'),
      owner ? `host identity: uid ${owner.uid} gid ${owner.gid} (setpriv, no supplementary groups)` : `host identity: the gateway's own uid ${process.getuid?.() ?? '?'}`,
      seccompFile ? `seccomp: deny list for ${arch} (mount, unshare, ptrace, bpf, keyctl, …)` : `seccomp: NOT enforced (no syscall table for ${process.arch})`,
      mode.disableUserns ? 'user namespaces inside: disabled (--disable-userns)' : 'user namespaces inside: refused by seccomp only (bwrap lacks --disable-userns)',
    );
  }
  const claimed = mode.kind === 'bwrap' ? await claimCgroup(config) : { note: 'no sandbox' };
  const enforcement = describeLimitEnforcement(limits, { cgroup: claimed.cgroup !== undefined, cgroupNote: claimed.note, prlimit: tools.prlimit, nice: tools.nice !== undefined });
  const host: SandboxHost = { mode, layout, identityDir, tools, owner, seccompFile, limits, cgroup: claimed.cgroup, enforcement, isolation };
  if (mode.kind === 'bwrap') logger.info({ uidMapping: mode.uidMapping, isolation, limits: formatLimitEnforcement(enforcement) }, 'local terminals run in a bubblewrap sandbox');
  return host;
}

/** Takes the delegated cgroup when the host offers one; any refusal means rlimits, with the reason. */
async function claimCgroup(config: CgroupVariables): Promise<{ cgroup?: CgroupDelegation; note: string }> {
  const detection = detectFromConfig(config);
  if (!detection.ok) return { note: detection.reason };
  try {
    const cgroup = await CgroupDelegation.claim(detection.parentDir);
    return { cgroup, note: `sessions under ${cgroup.sessionsDir}` };
  } catch (error) {
    return { note: (error as Error).message };
  }
}
