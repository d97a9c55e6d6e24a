// A temp directory laid out like a cgroup2 mount, with the kernel's directory semantics that the
// gateway relies on: mkdir creates the interface files of the controllers the parent enables,
// rmdir refuses (EBUSY) while a listed process is alive and takes the interface files with it.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { CgroupDirOps } from './cgroup-delegation';

const controllerFiles: Record<string, Record<string, string>> = {
  pids: { 'pids.max': 'max\n', 'pids.current': '0\n' },
  memory: { 'memory.max': 'max\n', 'memory.swap.max': 'max\n', 'memory.current': '0\n' },
  cpu: { 'cpu.weight': '100\n', 'cpu.max': 'max 100000\n' },
};

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function errno(code: string, path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${path}`), { code });
}

function makeCgroupDir(path: string, controllers: string): void {
  mkdirSync(path, { mode: 0o755 });
  writeFileSync(join(path, 'cgroup.controllers'), controllers);
  writeFileSync(join(path, 'cgroup.procs'), '');
  writeFileSync(join(path, 'cgroup.subtree_control'), '');
  for (const controller of controllers.split(/\s+/).filter(Boolean))
    for (const [name, value] of Object.entries(controllerFiles[controller] ?? {})) writeFileSync(join(path, name), value);
}

export const fakeCgroupDirOps: CgroupDirOps = {
  mkdir: async (path) => {
    if (existsSync(path)) throw errno('EEXIST', path);
    const enabled = readFileSync(join(dirname(path), 'cgroup.subtree_control'), 'utf8');
    // subtree_control holds what was written ("+pids +memory"); the kernel lists names.
    makeCgroupDir(path, enabled.replace(/\+/g, '').trim());
  },
  rmdir: async (path) => {
    if (!existsSync(path)) throw errno('ENOENT', path);
    const pids = readFileSync(join(path, 'cgroup.procs'), 'utf8').split(/\s+/).filter(Boolean).map(Number);
    const children = readdirSync(path).filter((name) => statSync(join(path, name)).isDirectory());
    if (pids.some(alive) || children.length > 0) throw errno('EBUSY', path);
    rmSync(path, { recursive: true });
  },
};

/**
 * `<tmp>/root` as a cgroup2 mount with `<tmp>/root/<parent>` delegated; `controllers` is what
 * the parent offers. Returns the root, the parent's path inside it and its directory.
 */
export function makeFakeCgroupMount(parent = 'workshop.service', controllers = 'cpuset cpu io memory pids'): { root: string; parent: string; parentDir: string; cleanup(): void } {
  const base = mkdtempSync(join(tmpdir(), 'fake-cgroup-'));
  const root = join(base, 'root');
  makeCgroupDir(root, 'cpuset cpu io memory hugetlb pids rdma misc');
  let dir = root;
  for (const part of parent.split('/')) {
    dir = join(dir, part);
    makeCgroupDir(dir, dir === join(root, parent) ? controllers : 'cpuset cpu io memory pids');
  }
  const parentDir = dir;
  writeFileSync(join(parentDir, 'cgroup.procs'), `${process.pid}\n`);
  return { root, parent, parentDir, cleanup: () => rmSync(base, { recursive: true, force: true }) };
}
