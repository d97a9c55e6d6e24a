// Turns a verified token's target into the exact process to run on a pty.
import { accessSync, constants, statSync } from 'node:fs';
import { chown, readFile, rm, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import type { CgroupDelegation, SessionCgroup } from './cgroup-delegation';
import { ingressEndpoints, KubeApiRelays, rewriteKubeconfigForSandbox, sandboxIngressEnvironment, socatCommand, type RelayEndpoint } from './kube-api-relay';
import {
  buildSandboxArgv,
  buildSandboxCommand,
  innerShellCommand,
  prepareLearnerHome,
  prepareSessionRunDir,
  sandboxEnvironment,
  type HostLayout,
  type SandboxMode,
  type SandboxOwner,
  type SpawnSpec,
} from './local-sandbox';
import { niceForCpuWeight, prlimitOptions, type SandboxLimits } from './sandbox-limits';
import type { TerminalTarget } from './terminal-token';

/** Host tools the sandbox wrapper uses, found once at start (undefined = not on this host). */
export interface SandboxTools {
  setpriv?: string;
  nice?: string;
  /** prlimit and socat run inside the sandbox, so only their presence under /usr matters. */
  prlimit: boolean;
  socat: boolean;
}

export interface SpawnContext {
  sandbox: SandboxMode;
  layout: HostLayout;
  homesDir: string;
  identityDir: string;
  kubectl: string;
  /** Command of a local shell; `bash --login` reads /etc/profile and the learner's ~/.profile. */
  localShell: string[];
  limits: SandboxLimits;
  tools: SandboxTools;
  /** The sandbox's host uid/gid when the gateway is root. */
  owner: SandboxOwner;
  seccompFile?: string;
  /** Delegated cgroup v2: each local shell gets its own cgroup under it. */
  cgroup?: CgroupDelegation;
  /** Names the per-session run directory (and cgroup). */
  sessionKey: string;
}

/** A spawn plus what must be released when its session ends (relays, the run directory). */
export interface PreparedSpawn {
  spec: SpawnSpec;
  /** The learner's home on the host (local targets). */
  home?: string;
  release(): Promise<void>;
}

/** A target this gateway will not run; answered during the upgrade, before anything is spawned. */
export class SpawnRefusedError extends Error {
  constructor(
    readonly code: 'sandbox-unavailable',
    message: string,
  ) {
    super(message);
    this.name = 'SpawnRefusedError';
  }
}

// Only what kubectl itself needs; the gateway's own variables (the token secret first) stay out.
function kubectlEnvironment(): Record<string, string> {
  const env: Record<string, string> = { TERM: 'xterm-256color', LANG: 'C.UTF-8', PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin' };
  if (process.env.HOME) env.HOME = process.env.HOME; // kubectl keeps its discovery cache under ~/.kube/cache
  return env;
}

/** `kubectl --kubeconfig <file> -n <ns> exec -i -t <pod> [-c <container>] -- <command...>` */
export function kubectlExecArgs(target: Extract<TerminalTarget, { kind: 'kubectl-exec' }>): string[] {
  const args = ['--kubeconfig', target.kubeconfig, '-n', target.namespace, 'exec', '-i', '-t', target.pod];
  if (target.container) args.push('-c', target.container);
  return [...args, '--', ...target.command];
}

/** Fails early (SpawnRefusedError) when a local target cannot be served safely on this host. */
export function assertTargetServable(target: TerminalTarget, sandbox: SandboxMode): void {
  if (target.kind === 'local' && sandbox.kind === 'unavailable')
    throw new SpawnRefusedError(
      'sandbox-unavailable',
      `local terminals need bubblewrap, which cannot run here (${sandbox.reason}); set GATEWAY_LOCAL_UNSANDBOXED=single-user only on a single-user machine`,
    );
}

/**
 * Prepares everything a target needs before its pty is spawned, without blocking the event loop:
 * the learner's home, the session directory, the kubeconfig rewritten for the sandbox and its relays.
 */
export async function prepareSpawn(target: TerminalTarget, ctx: SpawnContext): Promise<PreparedSpawn> {
  assertTargetServable(target, ctx.sandbox);
  if (target.kind === 'kubectl-exec')
    return { spec: { file: ctx.kubectl, args: kubectlExecArgs(target), env: kubectlEnvironment(), cwd: process.cwd() }, release: async () => {} };

  const hostHome = await prepareLearnerHome(ctx.homesDir, target.home, ctx.sandbox.kind === 'bwrap' ? ctx.owner : undefined);
  if (ctx.sandbox.kind !== 'bwrap') {
    // Explicitly unsandboxed (single-user): the same clean environment, the real paths.
    const [file = 'bash', ...args] = ctx.localShell;
    return { spec: { file, args, env: sandboxEnvironment(hostHome, target.kubeconfig, target.ingress ? { GATEWAY_URL: `${target.ingress.host}:${target.ingress.httpPort}` } : {}), cwd: hostHome }, home: hostHome, release: async () => {} };
  }
  const sandbox = ctx.sandbox;
  const sessionDir = await prepareSessionRunDir(ctx.homesDir, ctx.sessionKey, ctx.owner);
  let relays: KubeApiRelays | undefined;
  let cgroup: SessionCgroup | undefined;
  const release = async (): Promise<void> => {
    relays?.close();
    await rm(sessionDir, { recursive: true, force: true });
    await cgroup?.remove();
  };
  try {
    cgroup = await createSessionCgroup(ctx.cgroup, ctx.sessionKey, ctx.limits);
    let kubeconfig: string | undefined;
    const endpoints: RelayEndpoint[] = [];
    if (target.kubeconfig) {
      const rewritten = await rewriteKubeconfigForSandbox(await readFile(target.kubeconfig, 'utf8'), target.kubeconfig);
      kubeconfig = join(sessionDir, 'kubeconfig');
      await writeFile(kubeconfig, rewritten.text, { mode: 0o600 });
      if (ctx.owner) await chown(kubeconfig, ctx.owner.uid, ctx.owner.gid);
      endpoints.push(...rewritten.endpoints);
    }
    if (target.ingress) endpoints.push(...ingressEndpoints(target.ingress));
    if (endpoints.length) relays = await KubeApiRelays.start(sessionDir, endpoints, ctx.owner);
    const relayCommands = ctx.tools.socat ? endpoints.map(socatCommand) : [];
    const shell = innerShellCommand(ctx.localShell, ctx.tools.prlimit ? prlimitOptions(ctx.limits, cgroup !== undefined) : undefined, relayCommands);
    const command = buildSandboxCommand({
      bwrapPath: sandbox.bwrapPath,
      bwrapArgs: (seccompFd) =>
        buildSandboxArgv({
          layout: ctx.layout,
          hostHome,
          identityDir: ctx.identityDir,
          sessionDir,
          kubeconfig,
          extraEnv: sandboxIngressEnvironment(target.ingress),
          uidMapping: sandbox.uidMapping,
          disableUserns: sandbox.disableUserns,
          tmpBytes: ctx.limits.tmpBytes,
          seccompFd,
          shell,
        }),
      runAs: ctx.owner && ctx.tools.setpriv ? { ...ctx.owner, setprivPath: ctx.tools.setpriv } : undefined,
      nice: ctx.tools.nice && !cgroup ? { level: niceForCpuWeight(ctx.limits.cpuWeight), nicePath: ctx.tools.nice } : undefined,
      seccompFile: ctx.seccompFile,
      cgroupProcs: cgroup?.procsFile,
    });
    return { spec: { ...command, env: { PATH: '/usr/bin:/bin', TERM: 'xterm-256color' }, cwd: hostHome }, home: hostHome, release };
  } catch (error) {
    await release();
    throw error;
  }
}

/**
 * The shell's own cgroup, when the host delegates one. Failing to create it refuses the shell
 * rather than starting it without its limits.
 */
async function createSessionCgroup(delegation: CgroupDelegation | undefined, sessionKey: string, limits: SandboxLimits): Promise<SessionCgroup | undefined> {
  if (!delegation) return undefined;
  try {
    return await delegation.createSession(sessionKey, limits);
  } catch (error) {
    throw new SpawnRefusedError('sandbox-unavailable', `the shell's resource limits could not be set up (cgroup ${join(delegation.sessionsDir, sessionKey)}: ${(error as Error).message})`);
  }
}

/**
 * Finds the executable a spec names (a path, or a name on the spec's PATH). node-pty would only
 * report a missing one after forking, as a shell that "exits 1", so we check before spawning.
 */
export function findExecutable(file: string, pathVariable: string | undefined): string | undefined {
  const candidates = file.includes('/') ? [file] : (pathVariable ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, file));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}
