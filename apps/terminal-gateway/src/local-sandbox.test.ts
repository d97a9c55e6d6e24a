import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSandboxArgv, prepareLearnerHome, probeSandbox, type HostLayout } from './local-sandbox';

const layout: HostLayout = {
  topDirs: { '/bin': { symlink: 'usr/bin' }, '/lib': { symlink: 'usr/lib' }, '/lib64': 'dir' },
  etcEntries: ['resolv.conf', 'ssl'],
  hasOpt: true,
};

function pairsAfter(args: string[], flag: string): string[][] {
  const out: string[][] = [];
  args.forEach((a, i) => {
    if (a === flag) out.push([args[i + 1] ?? '', args[i + 2] ?? '']);
  });
  return out;
}

describe('bubblewrap argv', () => {
  const args = buildSandboxArgv({
    layout,
    hostHome: '/srv/homes/alice',
    identityDir: '/srv/homes/.sandbox-identity',
    sessionDir: '/srv/homes/.sandbox-run/abc',
    kubeconfig: '/srv/homes/.sandbox-run/abc/kubeconfig',
    uidMapping: true,
    disableUserns: true,
    tmpBytes: 64 * 1024 * 1024,
    seccompFd: 3,
    shell: ['bash', '--login'],
  });

  it('isolates every namespace including the network, dies with the gateway, never calls setsid', () => {
    expect(args.slice(0, 2)).toEqual(['--unshare-all', '--die-with-parent']);
    expect(args).not.toContain('--share-net');
    expect(args).not.toContain('--new-session');
    expect(args.join(' ')).toContain('--unshare-user --uid 1000 --gid 1000 --disable-userns');
    expect(args.join(' ')).toContain('--cap-drop ALL --seccomp 3');
  });

  it('mounts the system read-only and the learner home read-write at /home/learner', () => {
    expect(pairsAfter(args, '--ro-bind')).toEqual([
      ['/usr', '/usr'],
      ['/lib64', '/lib64'],
      ['/opt', '/opt'],
      ['/etc/resolv.conf', '/etc/resolv.conf'],
      ['/etc/ssl', '/etc/ssl'],
      ['/srv/homes/.sandbox-identity/passwd', '/etc/passwd'],
      ['/srv/homes/.sandbox-identity/group', '/etc/group'],
      ['/srv/homes/.sandbox-run/abc', '/run/workshop'],
      ['/srv/homes/.sandbox-run/abc/kubeconfig', '/home/learner/.kube/config'],
    ]);
    expect(pairsAfter(args, '--bind')).toEqual([['/srv/homes/alice', '/home/learner']]);
    expect(pairsAfter(args, '--symlink')).toEqual([
      ['usr/bin', '/bin'],
      ['usr/lib', '/lib'],
    ]);
    expect(args.join(' ')).toContain(`--proc /proc --dev /dev --size ${64 * 1024 * 1024} --tmpfs /tmp`);
  });

  it('starts from a clean environment and ends with the shell', () => {
    expect(args).toContain('--clearenv');
    const env = Object.fromEntries(pairsAfter(args, '--setenv'));
    expect(env).toMatchObject({ HOME: '/home/learner', TERM: 'xterm-256color', KUBECONFIG: '/home/learner/.kube/config', LANG: 'C.UTF-8' });
    expect(Object.keys(env)).not.toContain('WORKSHOP_TOKEN_SECRET');
    expect(args.slice(-3)).toEqual(['--', 'bash', '--login']);
  });

  it('has no KUBECONFIG without a kubeconfig and no uid mapping when unavailable', () => {
    const plain = buildSandboxArgv({ layout, hostHome: '/h/a', identityDir: '/h/.i', uidMapping: false, disableUserns: true, tmpBytes: 1024, shell: ['bash'] });
    expect(plain).not.toContain('KUBECONFIG');
    expect(plain).not.toContain('--uid');
    expect(plain).not.toContain('--disable-userns');
    expect(plain).not.toContain('--seccomp');
    expect(plain).toContain('--cap-drop');
  });
});

describe('learner homes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gw-home-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('creates a private 0700 home with a starter .bashrc in a traversable, unlistable parent', async () => {
    const home = await prepareLearnerHome(join(dir, 'homes'), 'alice', undefined);
    expect(statSync(home).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'homes')).mode & 0o777).toBe(0o711);
    expect(readFileSync(join(home, '.bashrc'), 'utf8')).toContain('alias k=kubectl');
    expect(existsSync(join(home, '.profile'))).toBe(true);
    await expect(prepareLearnerHome(join(dir, 'homes'), '../escape', undefined)).rejects.toThrow();
  });

  it.skipIf(process.getuid?.() !== 0)('gives the home, seeded files included, to the sandbox uid (as root)', async () => {
    const home = await prepareLearnerHome(join(dir, 'homes'), 'bob', { uid: 65534, gid: 65534 });
    expect(statSync(home).uid).toBe(65534);
    expect(statSync(join(home, '.bashrc')).uid).toBe(65534);
  });
});

describe('sandbox probe', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gw-probe-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  function fakeBwrap(name: string, script: string): string {
    const file = join(dir, name);
    writeFileSync(file, `#!/bin/bash\n${script}\n`);
    chmodSync(file, 0o755);
    return file;
  }

  it('reports bwrap as unavailable, with the reason, when it cannot run', async () => {
    const broken = fakeBwrap('broken', 'echo "bwrap: No permissions to creating new namespace" >&2; exit 1');
    expect(await probeSandbox(broken)).toEqual({ kind: 'unavailable', reason: expect.stringContaining('No permissions to creating new namespace') });
    expect(await probeSandbox(join(dir, 'absent'))).toMatchObject({ kind: 'unavailable' });
  });

  it('falls back to no uid mapping when user namespaces are refused', async () => {
    const noUserns = fakeBwrap('no-userns', 'for a in "$@"; do [ "$a" = --unshare-user ] && exit 1; done; exit 0');
    expect(await probeSandbox(noUserns)).toEqual({ kind: 'bwrap', bwrapPath: noUserns, uidMapping: false, disableUserns: false });
  });

  it('knows whether bwrap can disable user namespaces inside (bwrap >= 0.8)', async () => {
    const old = fakeBwrap('old', 'for a in "$@"; do [ "$a" = --disable-userns ] && exit 1; done; exit 0');
    expect(await probeSandbox(old)).toEqual({ kind: 'bwrap', bwrapPath: old, uidMapping: true, disableUserns: false });
    const current = fakeBwrap('current', 'exit 0');
    expect(await probeSandbox(current)).toEqual({ kind: 'bwrap', bwrapPath: current, uidMapping: true, disableUserns: true });
  });
});
