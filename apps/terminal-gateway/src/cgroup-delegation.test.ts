import { execFile } from 'node:child_process';
import { accessSync, chmodSync, constants, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CgroupDelegation, detectCgroupV2, kernelCgroupDirOps, ownCgroupPath } from './cgroup-delegation';
import { fakeCgroupDirOps, makeFakeCgroupMount } from './cgroup-test-double';
import { buildSandboxCommand, inspectHostLayout, sessionRunDirPath } from './local-sandbox';
import { prepareSpawn, SpawnRefusedError, type SpawnContext } from './spawn-spec';
import type { SandboxLimits } from './sandbox-limits';

const limits: SandboxLimits = { pids: 64, memoryBytes: 256 * 1024 * 1024, cpuWeight: 10, openFiles: 128, fileSizeBytes: 1024, tmpBytes: 2048, homeBytes: 4096 };
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function mount(controllers?: string) {
  const fake = makeFakeCgroupMount('system.slice/workshop.service', controllers);
  cleanups.push(fake.cleanup);
  return fake;
}

const read = (path: string) => readFileSync(path, 'utf8').trim();

describe('cgroup v2 detection', () => {
  it('finds our own delegated cgroup from /proc/self/cgroup', () => {
    const fake = mount();
    expect(ownCgroupPath('12:pids:/x\n0::/system.slice/workshop.service\n')).toBe('/system.slice/workshop.service');
    expect(detectCgroupV2({ root: fake.root, procSelfCgroup: '0::/system.slice/workshop.service\n' })).toEqual({ ok: true, parentDir: fake.parentDir });
    expect(detectCgroupV2({ root: fake.root, parent: 'system.slice/workshop.service', procSelfCgroup: '' })).toEqual({ ok: true, parentDir: fake.parentDir });
  });

  it('says no on a v1 or hybrid host', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cgroup-v1-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    for (const name of ['pids', 'memory', 'cpu,cpuacct', 'unified']) writeFileSync(join(dir, name), '');
    const detection = detectCgroupV2({ root: dir, procSelfCgroup: '4:pids:/user.slice\n0::/user.slice\n' });
    expect(detection).toEqual({ ok: false, reason: expect.stringContaining('is not a cgroup v2 mount') });
  });

  it('says no when a controller is missing, naming it', () => {
    const fake = mount('cpuset io memory');
    const detection = detectCgroupV2({ root: fake.root, parent: fake.parent });
    expect(detection).toEqual({ ok: false, reason: expect.stringContaining('lacks the pids, cpu controllers') });
  });

  it('says no when the parent is not delegated (read-only) or is the root cgroup', () => {
    const fake = mount();
    chmodSync(join(fake.parentDir, 'cgroup.subtree_control'), 0o444);
    const readOnly = detectCgroupV2({ root: fake.root, parent: fake.parent });
    // As root, access() ignores the mode bits; the kernel's own check is what matters there.
    if (process.getuid?.() !== 0) expect(readOnly).toEqual({ ok: false, reason: expect.stringContaining('not writable') });
    expect(detectCgroupV2({ root: fake.root, procSelfCgroup: '0::/\n' })).toEqual({ ok: false, reason: expect.stringContaining('root cgroup') });
    expect(detectCgroupV2({ root: fake.root, parent: 'nowhere' })).toEqual({ ok: false, reason: expect.stringContaining('is not a cgroup') });
  });
});

describe('cgroup v2 per session', () => {
  it('moves the gateway into a leaf, enables the controllers, and writes the session limits', async () => {
    const fake = mount();
    const delegation = await CgroupDelegation.claim(fake.parentDir, fakeCgroupDirOps);
    expect(read(join(fake.parentDir, 'gateway', 'cgroup.procs'))).toBe(String(process.pid));
    expect(read(join(fake.parentDir, 'cgroup.subtree_control'))).toBe('+pids +memory +cpu');
    expect(read(join(fake.parentDir, 'sessions', 'cgroup.subtree_control'))).toBe('+pids +memory +cpu');
    const session = await delegation.createSession('abc123', limits);
    expect(session.dir).toBe(join(fake.parentDir, 'sessions', 'abc123'));
    expect(['pids.max', 'memory.max', 'memory.swap.max', 'cpu.weight'].map((f) => read(join(session.dir, f)))).toEqual(['64', String(256 * 1024 * 1024), '0', '10']);
  });

  it('has the spawn wrapper join the cgroup before it execs, and removes the cgroup once the processes are gone', async () => {
    const fake = mount();
    const delegation = await CgroupDelegation.claim(fake.parentDir, fakeCgroupDirOps);
    const session = await delegation.createSession('s1', limits);
    // In place of bwrap: a program that reads cgroup.procs and compares it with its own pid.
    const command = buildSandboxCommand({
      bwrapPath: '/bin/sh',
      bwrapArgs: () => ['-c', 'read p < "$1"; if [ "$p" = "$$" ]; then echo "joined $$"; else echo "not joined: $p vs $$"; fi', 'probe', session.procsFile],
      cgroupProcs: session.procsFile,
    });
    const output = await new Promise<string>((resolve, reject) => execFile(command.file, command.args, (error, stdout) => (error ? reject(error) : resolve(stdout))));
    expect(output).toMatch(/^joined \d+\n$/);
    await session.remove();
    expect(existsSync(session.dir)).toBe(false);
  });

  it('refuses to remove a cgroup whose process is still alive (the double is faithful), then removes it', async () => {
    const fake = mount();
    const delegation = await CgroupDelegation.claim(fake.parentDir, fakeCgroupDirOps);
    const session = await delegation.createSession('s2', limits);
    writeFileSync(session.procsFile, `${process.pid}\n`);
    await expect(fakeCgroupDirOps.rmdir(session.dir)).rejects.toMatchObject({ code: 'EBUSY' });
    writeFileSync(session.procsFile, '');
    await session.remove();
    expect(existsSync(session.dir)).toBe(false);
  });

  it('fails clearly when the session cgroup cannot be created', async () => {
    const fake = mount();
    const delegation = await CgroupDelegation.claim(fake.parentDir, fakeCgroupDirOps);
    rmSync(delegation.sessionsDir, { recursive: true });
    await expect(delegation.createSession('s3', limits)).rejects.toThrow(/sessions/);
  });

  it('leaves a parent shared with other processes alone', async () => {
    const fake = mount();
    writeFileSync(join(fake.parentDir, 'cgroup.procs'), `${process.pid}\n1\n`);
    await expect(CgroupDelegation.claim(fake.parentDir, fakeCgroupDirOps)).rejects.toThrow(/also holds other processes \(1\)/);
    expect(existsSync(join(fake.parentDir, 'gateway'))).toBe(false);
  });

  it('fails to claim a parent whose controllers cannot be enabled', async () => {
    const fake = mount();
    await fakeCgroupDirOps.mkdir(join(fake.parentDir, 'gateway'));
    rmSync(join(fake.parentDir, 'cgroup.subtree_control'));
    await expect(CgroupDelegation.claim(fake.parentDir, fakeCgroupDirOps)).rejects.toThrow(/cannot enable \+pids \+memory \+cpu in/);
  });
});

describe('local shells with a delegated cgroup', () => {
  async function context(): Promise<{ ctx: SpawnContext; delegation: CgroupDelegation }> {
    const fake = mount();
    const homesDir = mkdtempSync(join(tmpdir(), 'cgroup-homes-'));
    cleanups.push(() => rmSync(homesDir, { recursive: true, force: true }));
    const delegation = await CgroupDelegation.claim(fake.parentDir, fakeCgroupDirOps);
    const ctx: SpawnContext = {
      sandbox: { kind: 'bwrap', bwrapPath: '/usr/bin/bwrap', uidMapping: true, disableUserns: true },
      layout: inspectHostLayout(),
      homesDir,
      identityDir: join(homesDir, '.sandbox-identity'),
      kubectl: 'kubectl',
      localShell: ['bash', '--login'],
      limits,
      tools: { nice: '/usr/bin/nice', prlimit: true, socat: false },
      owner: undefined,
      cgroup: delegation,
      sessionKey: 'sess-1',
    };
    return { ctx, delegation };
  }

  it('joins the session cgroup, keeps rlimits only for open files and file size, and drops nice', async () => {
    const { ctx, delegation } = await context();
    const prepared = await prepareSpawn({ kind: 'local', home: 'learner-a' }, ctx);
    const procs = join(delegation.sessionsDir, 'sess-1', 'cgroup.procs');
    expect(prepared.spec.args.slice(2, 6)).toEqual(['workshop-sandbox', procs, '', '']);
    expect(prepared.spec.args).toContain('prlimit');
    expect(prepared.spec.args).toContain('--nofile=128:128');
    expect(prepared.spec.args.some((a) => a.startsWith('--nproc') || a.startsWith('--data'))).toBe(false);
    expect(prepared.spec.args).not.toContain('/usr/bin/nice');
    await prepared.release();
    expect(existsSync(join(delegation.sessionsDir, 'sess-1'))).toBe(false);
  });

  it('refuses the shell, naming the cgroup, when it cannot be created (never runs it without limits)', async () => {
    const { ctx, delegation } = await context();
    rmSync(delegation.sessionsDir, { recursive: true });
    const started = prepareSpawn({ kind: 'local', home: 'learner-a' }, ctx);
    await expect(started).rejects.toBeInstanceOf(SpawnRefusedError);
    await expect(started).rejects.toThrow(`the shell's resource limits could not be set up (cgroup ${join(delegation.sessionsDir, 'sess-1')}`);
    expect(existsSync(sessionRunDirPath(ctx.homesDir, 'sess-1'))).toBe(false);
  });
});

// The double's semantics checked against the kernel, where this host has a writable cgroup2 mount
// (a hybrid host's /sys/fs/cgroup/unified as root, without controllers): mkdir brings the
// interface files, the wrapper's process is listed before it execs, rmdir waits for it to exit.
const realMount = readFileSync('/proc/self/mountinfo', 'utf8')
  .split('\n')
  .map((line) => line.split(' '))
  .find((fields) => fields[fields.indexOf('-') + 1] === 'cgroup2')?.[4];
const writableMount = realMount !== undefined && (() => {
  try {
    accessSync(realMount, constants.W_OK);
    return process.getuid?.() === 0;
  } catch {
    return false;
  }
})();

describe.skipIf(!writableMount)('cgroup v2 directory semantics on this kernel', () => {
  it('behaves as the double does', async () => {
    const dir = join(realMount ?? '', `workshop-test-${process.pid}`);
    await kernelCgroupDirOps.mkdir(dir);
    try {
      expect(readdirSync(dir)).toEqual(expect.arrayContaining(['cgroup.procs', 'cgroup.controllers', 'cgroup.subtree_control']));
      const procs = join(dir, 'cgroup.procs');
      const command = buildSandboxCommand({ bwrapPath: '/bin/sh', bwrapArgs: () => ['-c', 'grep -qx "$$" "$1" && echo joined; sleep 0.5', 'probe', procs], cgroupProcs: procs });
      const child = execFile(command.file, command.args);
      let output = '';
      child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const exited = new Promise((resolve) => child.on('exit', resolve));
      while (!output.includes('joined') && child.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 20));
      await expect(kernelCgroupDirOps.rmdir(dir)).rejects.toMatchObject({ code: 'EBUSY' });
      await exited;
      expect(output).toBe('joined\n');
    } finally {
      for (let i = 0; i < 50 && existsSync(dir); i++) await kernelCgroupDirOps.rmdir(dir).catch(() => new Promise((resolve) => setTimeout(resolve, 50)));
    }
    expect(existsSync(dir)).toBe(false);
  });
});
