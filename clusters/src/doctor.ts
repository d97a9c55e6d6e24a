// `clusters doctor`: is this host able to run learner clusters at our pins? Each check says what it
// found, what we need, and how to fix it. Also the first pipeline step, so a broken host fails fast
// with a permanent reason instead of timing out in the middle of an install.

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { versions } from '../versions';
import type { CommandRunner } from './command-runner';

export interface DoctorCheck {
  name: string;
  ok: boolean;
  found: string;
  expected: string;
  /** How to fix it, when not ok. */
  hint: string;
}

export interface DoctorOptions {
  runner: CommandRunner;
  /** `kind`: the full host check; `existing`: only the client tools (clusters are made elsewhere). */
  scope: 'kind' | 'existing';
  /** Root of /proc (tests point it at a fixture directory). */
  procRoot?: string;
  memoryPerClusterMiB: number;
  reservedMemoryMiB: number;
  signal?: AbortSignal;
}

const semver = /v?(\d+)\.(\d+)\.(\d+)/;

async function tryRun(runner: CommandRunner, argv: string[], signal?: AbortSignal) {
  try {
    const r = await runner.run(argv, { timeoutMs: 20_000, allowFailure: true, ...(signal ? { signal } : {}) });
    // Failures explain themselves on stderr (docker info still prints its template to stdout).
    return { ok: r.code === 0, out: (r.code === 0 ? `${r.stdout}\n${r.stderr}` : r.stderr || r.stdout).trim(), stdout: r.stdout.trim() };
  } catch (error) {
    return { ok: false, out: error instanceof Error ? error.message : String(error), stdout: '' };
  }
}

const installHints = {
  kind: `install kind ${versions.kind.version}: https://kind.sigs.k8s.io/docs/user/quick-start/#installation (go install sigs.k8s.io/kind@${versions.kind.version})`,
  kubectl: `install kubectl ${versions.kubectl.version}: https://kubernetes.io/docs/tasks/tools/ (any v1.${versions.kubectl.minMinor}–v1.${versions.kubectl.maxMinor} works)`,
  istioctl: `install istioctl ${versions.istio.version}: curl -L https://istio.io/downloadIstio | ISTIO_VERSION=${versions.istio.version} sh - and put istio-${versions.istio.version}/bin on PATH`,
};

export async function runDoctor(options: DoctorOptions): Promise<DoctorCheck[]> {
  const { runner, signal } = options;
  const checks: DoctorCheck[] = [];
  const procRoot = options.procRoot ?? '/proc';

  if (options.scope === 'kind') {
    const info = await tryRun(runner, ['docker', 'info', '--format', '{{.ServerVersion}}|{{.MemTotal}}|{{.CgroupVersion}}|{{.Architecture}}'], signal);
    const [serverVersion = '', memTotal = '', cgroupVersion = '', arch = ''] = info.ok ? info.stdout.split('|') : [];
    info.ok = info.ok && serverVersion.length > 0;
    const dockerMajor = Number(semver.exec(serverVersion)?.[1] ?? Number.NaN);
    checks.push({
      name: 'docker engine',
      ok: info.ok && dockerMajor >= versions.host.minDockerMajor,
      found: info.ok ? `Docker Engine ${serverVersion} (${arch})` : `not reachable: ${info.out.split('\n')[0] ?? ''}`,
      expected: `a running Docker Engine ≥ ${versions.host.minDockerMajor} (docker image save --platform)`,
      hint: info.ok
        ? 'upgrade Docker Engine (https://docs.docker.com/engine/install/)'
        : 'start the Docker daemon (`sudo systemctl start docker`, or open Docker Desktop) and make sure your user may use it',
    });
    const memMiB = Math.floor(Number(memTotal) / (1024 * 1024));
    const fits = Math.floor((memMiB - options.reservedMemoryMiB) / options.memoryPerClusterMiB);
    checks.push({
      name: 'memory',
      ok: info.ok && fits >= 1,
      found: info.ok ? `${memMiB} MiB visible to Docker ⇒ ${Math.max(0, fits)} environment(s)` : 'unknown (docker not reachable)',
      expected: `≥ ${options.reservedMemoryMiB + options.memoryPerClusterMiB} MiB (reserve ${options.reservedMemoryMiB} + ${options.memoryPerClusterMiB} per environment)`,
      hint: 'give Docker more memory (Docker Desktop: Settings → Resources) or lower CLUSTERS_MEMORY_PER_CLUSTER_MIB after measuring with `docker stats`',
    });
    checks.push({
      name: 'cgroup v2',
      ok: info.ok && cgroupVersion.trim() === '2',
      found: info.ok ? `cgroup v${cgroupVersion.trim()}` : 'unknown (docker not reachable)',
      expected: 'cgroup v2 (node images for Kubernetes ≥ 1.35 dropped cgroup v1)',
      hint: 'boot the host with the unified hierarchy (systemd.unified_cgroup_hierarchy=1) or use a current distro / Docker Desktop',
    });
    const kind = await tryRun(runner, ['kind', 'version'], signal);
    const kindVersion = kind.ok ? (/v\d+\.\d+\.\d+/.exec(kind.out)?.[0] ?? kind.out) : 'missing';
    checks.push({
      name: 'kind',
      ok: kind.ok && kindVersion === versions.kind.version,
      found: kind.ok ? kindVersion : `missing: ${kind.out.split('\n')[0] ?? ''}`,
      expected: versions.kind.version,
      hint: installHints.kind,
    });
    for (const [key, min] of [
      ['max_user_watches', versions.host.minInotifyWatches],
      ['max_user_instances', versions.host.minInotifyInstances],
    ] as const) {
      let value = Number.NaN;
      try {
        value = Number((await readFile(path.join(procRoot, 'sys', 'fs', 'inotify', key), 'utf8')).trim());
      } catch {
        // not Linux (Docker Desktop runs its own VM): reported below as unknown
      }
      checks.push({
        name: `fs.inotify.${key}`,
        ok: Number.isNaN(value) || value >= min,
        found: Number.isNaN(value) ? 'not readable (not a Linux host? Docker Desktop manages its VM)' : String(value),
        expected: `≥ ${min} (more for several clusters)`,
        hint: `sudo sysctl fs.inotify.${key}=${min * 2} and persist it in /etc/sysctl.d/99-kind.conf`,
      });
    }
  }

  const kubectl = await tryRun(runner, ['kubectl', 'version', '--client', '-o', 'json'], signal);
  let kubectlVersion = 'missing';
  if (kubectl.ok) {
    try {
      kubectlVersion = String((JSON.parse(kubectl.stdout) as { clientVersion?: { gitVersion?: string } }).clientVersion?.gitVersion ?? '?');
    } catch {
      kubectlVersion = kubectl.stdout.split('\n')[0] ?? '?';
    }
  }
  const kubectlMinor = Number(semver.exec(kubectlVersion)?.[2] ?? Number.NaN);
  checks.push({
    name: 'kubectl',
    ok: kubectl.ok && kubectlMinor >= versions.kubectl.minMinor && kubectlMinor <= versions.kubectl.maxMinor,
    found: kubectl.ok ? kubectlVersion : `missing: ${kubectl.out.split('\n')[0] ?? ''}`,
    expected: `v1.${versions.kubectl.minMinor}–v1.${versions.kubectl.maxMinor} (pin ${versions.kubectl.version})`,
    hint: installHints.kubectl,
  });

  const istioctl = await tryRun(runner, ['istioctl', 'version', '--remote=false'], signal);
  const istioctlVersion = istioctl.ok ? (/\d+\.\d+\.\d+\S*/.exec(istioctl.out)?.[0] ?? istioctl.out) : 'missing';
  checks.push({
    name: 'istioctl',
    ok: istioctl.ok && istioctlVersion === versions.istio.version,
    found: istioctl.ok ? istioctlVersion : `missing: ${istioctl.out.split('\n')[0] ?? ''}`,
    expected: versions.istio.version,
    hint: installHints.istioctl,
  });
  return checks;
}

export function formatDoctor(checks: readonly DoctorCheck[]): string {
  const lines = checks.map((c) => {
    const head = `${c.ok ? 'ok  ' : 'FAIL'}  ${c.name.padEnd(28)} ${c.found}`;
    return c.ok ? head : `${head}\n      expected: ${c.expected}\n      fix: ${c.hint}`;
  });
  const failed = checks.filter((c) => !c.ok).length;
  lines.push(failed === 0 ? 'all checks passed' : `${failed} check(s) failed`);
  return lines.join('\n');
}
