// Turns a verified token's target into the exact process to run on a pty.
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import {
  buildSandboxArgv,
  prepareLearnerHome,
  sandboxEnvironment,
  type HostLayout,
  type SandboxMode,
  type SpawnSpec,
} from './local-sandbox';
import type { TerminalTarget } from './terminal-token';

export interface SpawnContext {
  sandbox: SandboxMode;
  layout: HostLayout;
  homesDir: string;
  identityDir: string;
  kubectl: string;
  /** Command of a local shell; `bash --login` reads /etc/profile and the learner's ~/.profile. */
  localShell: string[];
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

export function resolveSpawnSpec(target: TerminalTarget, ctx: SpawnContext): SpawnSpec {
  assertTargetServable(target, ctx.sandbox);
  if (target.kind === 'kubectl-exec')
    return { file: ctx.kubectl, args: kubectlExecArgs(target), env: kubectlEnvironment(), cwd: process.cwd() };

  const hostHome = prepareLearnerHome(ctx.homesDir, target.home);
  if (ctx.sandbox.kind === 'bwrap') {
    const args = buildSandboxArgv({
      layout: ctx.layout,
      hostHome,
      identityDir: ctx.identityDir,
      kubeconfig: target.kubeconfig,
      uidMapping: ctx.sandbox.uidMapping,
      shell: ctx.localShell,
    });
    return { file: ctx.sandbox.bwrapPath, args, env: { PATH: '/usr/bin:/bin', TERM: 'xterm-256color' }, cwd: hostHome };
  }
  // Explicitly unsandboxed (single-user): the same clean environment, the real paths.
  const [file = 'bash', ...args] = ctx.localShell;
  return { file, args, env: sandboxEnvironment(hostHome, target.kubeconfig), cwd: hostHome };
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
