// cgroup v2 for local shells, where the host delegates a cgroup to the gateway: one cgroup per
// sandbox with pids.max, memory.max (no swap) and cpu.weight, bounding the whole sandbox rather
// than each process. Found out once at start; without it the rlimits of sandbox-limits.ts apply.
//
// Layout (kernel docs, Documentation/admin-guide/cgroup-v2.rst, "No Internal Process Constraint":
// a non-root cgroup can only distribute resources to its children when it has no processes of its
// own, so writing to `cgroup.subtree_control` of a cgroup with member processes fails with EBUSY):
//
//   <parent>/                 delegated to the gateway; controllers enabled for its children
//   <parent>/gateway          the gateway itself moves here first, leaving <parent> without processes
//   <parent>/sessions/<id>    one per shell, created by the gateway's uid
//
// A learner cannot leave or loosen its cgroup: the sandbox has no /sys (so no cgroupfs), mount is
// refused by seccomp, and when the gateway is root the sandbox uid does not own the cgroup's files
// (kernel docs, "Delegation Containment": moving a process needs write access to the target's and
// the common ancestor's cgroup.procs).
import { accessSync, constants, existsSync, readFileSync, statfsSync } from 'node:fs';
import { mkdir, rmdir, writeFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { SandboxLimits } from './sandbox-limits';

/** `statfs` f_type of a cgroup2 mount (CGROUP2_SUPER_MAGIC in linux/magic.h). */
const cgroup2SuperMagic = 0x63677270;
export const requiredControllers = ['pids', 'memory', 'cpu'] as const;

/** The directory operations whose kernel semantics a test double must reproduce. */
export interface CgroupDirOps {
  /** The kernel creates a new cgroup's interface files itself. */
  mkdir(path: string): Promise<void>;
  /** Fails with EBUSY while the cgroup has processes; its interface files go with it. */
  rmdir(path: string): Promise<void>;
}

export const kernelCgroupDirOps: CgroupDirOps = {
  mkdir: async (path) => {
    await mkdir(path, { mode: 0o755 });
  },
  rmdir: (path) => rmdir(path),
};

export type CgroupDetection = { ok: true; parentDir: string } | { ok: false; reason: string };

export interface CgroupDetectionInput {
  /** Where cgroup2 is mounted (GATEWAY_CGROUP_ROOT). */
  root: string;
  /** The delegated cgroup, as a path inside `root` (GATEWAY_CGROUP_PARENT); default: our own. */
  parent?: string;
  /** Text of /proc/self/cgroup (read when not given). */
  procSelfCgroup?: string;
}

/** Our own cgroup on the unified hierarchy: the `0::/path` line of /proc/self/cgroup. */
export function ownCgroupPath(procSelfCgroup: string): string | undefined {
  const line = procSelfCgroup.split('\n').find((l) => l.startsWith('0::'));
  return line ? line.slice(3).trim() : undefined;
}

function isCgroup2(root: string): boolean {
  if (existsSync(join(root, 'cgroup.controllers'))) return true;
  try {
    return statfsSync(root).type === cgroup2SuperMagic;
  } catch {
    return false;
  }
}

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether sandboxes can get cgroups here: `root` is a cgroup2 mount, the parent cgroup (configured
 * or our own) and its control files are writable by us, and it offers pids, memory and cpu.
 * Reads only; `CgroupDelegation.claim` changes the hierarchy.
 */
export function detectCgroupV2(input: CgroupDetectionInput): CgroupDetection {
  if (!isCgroup2(input.root)) return { ok: false, reason: `${input.root} is not a cgroup v2 mount (cgroup v1 or hybrid host)` };
  let parent = input.parent;
  if (parent === undefined) {
    let text = input.procSelfCgroup;
    if (text === undefined) {
      try {
        text = readFileSync('/proc/self/cgroup', 'utf8');
      } catch (error) {
        return { ok: false, reason: `cannot read /proc/self/cgroup: ${(error as Error).message}` };
      }
    }
    parent = ownCgroupPath(text);
    if (parent === undefined) return { ok: false, reason: 'this process has no cgroup v2 path in /proc/self/cgroup' };
  }
  const relative = posix.normalize(`/${parent}`);
  if (relative === '/') return { ok: false, reason: 'the gateway is in the root cgroup; set GATEWAY_CGROUP_PARENT to a cgroup delegated to it' };
  const parentDir = join(input.root, relative);
  if (!existsSync(join(parentDir, 'cgroup.controllers'))) return { ok: false, reason: `${parentDir} is not a cgroup (no cgroup.controllers)` };
  for (const name of ['', 'cgroup.procs', 'cgroup.subtree_control'])
    if (!writable(join(parentDir, name))) return { ok: false, reason: `${join(parentDir, name)} is not writable by this user (the cgroup is not delegated to the gateway)` };
  const offered = readFileSync(join(parentDir, 'cgroup.controllers'), 'utf8').split(/\s+/).filter(Boolean);
  const missing = requiredControllers.filter((c) => !offered.includes(c));
  if (missing.length > 0) return { ok: false, reason: `${parentDir} lacks the ${missing.join(', ')} controller${missing.length > 1 ? 's' : ''} (has: ${offered.join(' ') || 'none'})` };
  return { ok: true, parentDir };
}

const enableControllers = requiredControllers.map((c) => `+${c}`).join(' ');

/** Writes into an existing interface file only, as `echo v > file` does; cgroupfs cannot create files. */
async function writeControl(path: string, value: string): Promise<void> {
  await writeFile(path, value, { flag: constants.O_WRONLY | constants.O_TRUNC });
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A shell's own cgroup: its `cgroup.procs` is handed to the spawn wrapper. */
export interface SessionCgroup {
  dir: string;
  procsFile: string;
  /** Kills what is left (cgroup.kill) and removes the cgroup, retrying while processes exit. */
  remove(): Promise<void>;
}

/** The delegated parent, claimed by the gateway: sessions get their cgroups under it. */
export class CgroupDelegation {
  readonly sessionsDir: string;

  private constructor(
    readonly parentDir: string,
    private readonly ops: CgroupDirOps,
  ) {
    this.sessionsDir = join(parentDir, 'sessions');
  }

  /**
   * Moves this process into `<parent>/gateway`, then enables pids/memory/cpu for `<parent>`'s
   * children and for `<parent>/sessions`'. Throws, before changing anything, when other
   * processes (a supervisor, a login shell) share the parent: the kernel would refuse the
   * controllers (EBUSY) and the cgroup is not the gateway's to rearrange.
   */
  static async claim(parentDir: string, ops: CgroupDirOps = kernelCgroupDirOps, pid: number = process.pid): Promise<CgroupDelegation> {
    const step = async (what: string, action: () => Promise<void>) => {
      try {
        await action();
      } catch (error) {
        throw new Error(`${what}: ${(error as Error).message}`);
      }
    };
    const gatewayDir = join(parentDir, 'gateway');
    const sessionsDir = join(parentDir, 'sessions');
    const others = readFileSync(join(parentDir, 'cgroup.procs'), 'utf8').split(/\s+/).filter((p) => p !== '' && p !== String(pid));
    if (others.length > 0)
      throw new Error(`${parentDir} also holds other processes (${others.slice(0, 5).join(', ')}); give the gateway a cgroup of its own (systemd: Delegate=yes) or set GATEWAY_CGROUP_PARENT`);
    await step(`cannot create ${gatewayDir}`, async () => {
      if (!existsSync(gatewayDir)) await ops.mkdir(gatewayDir);
    });
    await step(`cannot move the gateway into ${gatewayDir}`, () => writeControl(join(gatewayDir, 'cgroup.procs'), String(pid)));
    await step(`cannot enable ${enableControllers} in ${parentDir}`, () => writeControl(join(parentDir, 'cgroup.subtree_control'), enableControllers));
    await step(`cannot create ${sessionsDir}`, async () => {
      if (!existsSync(sessionsDir)) await ops.mkdir(sessionsDir);
    });
    await step(`cannot enable ${enableControllers} in ${sessionsDir}`, () => writeControl(join(sessionsDir, 'cgroup.subtree_control'), enableControllers));
    return new CgroupDelegation(parentDir, ops);
  }

  /** Creates `sessions/<id>` with the shell's limits. Throws, naming the file, when it cannot. */
  async createSession(id: string, limits: SandboxLimits): Promise<SessionCgroup> {
    const dir = join(this.sessionsDir, id);
    await this.ops.mkdir(dir);
    const session: SessionCgroup = { dir, procsFile: join(dir, 'cgroup.procs'), remove: () => this.removeSession(dir) };
    try {
      await writeControl(join(dir, 'pids.max'), String(limits.pids));
      await writeControl(join(dir, 'memory.max'), String(limits.memoryBytes));
      await writeControl(join(dir, 'cpu.weight'), String(limits.cpuWeight));
      // Absent when the kernel does not account swap; then there is no swap to bound.
      await writeControl(join(dir, 'memory.swap.max'), '0').catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
    } catch (error) {
      await this.ops.rmdir(dir).catch(() => {});
      throw error;
    }
    return session;
  }

  private async removeSession(dir: string): Promise<void> {
    // cgroup.kill (Linux 5.14+) ends what a learner left running (nohup, double forks).
    await writeControl(join(dir, 'cgroup.kill'), '1').catch(() => {});
    for (let attempt = 0; ; attempt++) {
      try {
        await this.ops.rmdir(dir);
        return;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') return;
        if (code !== 'EBUSY' || attempt >= 20) throw error;
        await delay(100);
      }
    }
  }
}
