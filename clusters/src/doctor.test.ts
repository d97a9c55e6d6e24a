import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProcessCommandRunner } from './command-runner';
import { formatDoctor, runDoctor } from './doctor';
import { createFakeHost, type FakeHost } from './testing/fake-host';
import { testLogger } from './testing/test-logger';

describe('doctor', () => {
  let host: FakeHost;
  beforeAll(async () => {
    host = await createFakeHost({ ingressPairs: 1 });
  });
  afterAll(async () => {
    await host.close();
  });

  async function doctor(env: Record<string, string>, scope: 'kind' | 'existing' = 'kind') {
    const runner = new ProcessCommandRunner({ logger: testLogger(), env: { ...host.env, ...env } });
    return runDoctor({ runner, scope, procRoot: host.procRoot, memoryPerClusterMiB: 4608, reservedMemoryMiB: 4096 });
  }

  it('flags cgroup v1, too little memory for one environment, kubectl out of skew and a wrong istioctl, each with a fix', async () => {
    const checks = await doctor({
      FAKE_DOCKER_INFO: '28.1.1|8589934592|1|aarch64',
      FAKE_KUBECTL_VERSION: 'v1.31.2',
      FAKE_ISTIOCTL_VERSION: '1.29.6',
    });
    const failed = Object.fromEntries(checks.filter((c) => !c.ok).map((c) => [c.name, c.found]));
    expect(failed).toEqual({
      memory: '8192 MiB visible to Docker ⇒ 0 environment(s)',
      'cgroup v2': 'cgroup v1',
      kubectl: 'v1.31.2',
      istioctl: '1.29.6',
    });
    const text = formatDoctor(checks);
    expect(text).toContain('fix: install istioctl 1.30.3');
    expect(text).toContain('4 check(s) failed');
  });

  it('reports low inotify limits with the sysctl to run', async () => {
    await writeFile(path.join(host.procRoot, 'sys', 'fs', 'inotify', 'max_user_instances'), '128\n');
    const checks = await doctor({});
    const inotify = checks.find((c) => c.name === 'fs.inotify.max_user_instances');
    expect(inotify).toMatchObject({ ok: false, found: '128' });
    expect(inotify?.hint).toBe('sudo sysctl fs.inotify.max_user_instances=1024 and persist it in /etc/sysctl.d/99-kind.conf');
    await writeFile(path.join(host.procRoot, 'sys', 'fs', 'inotify', 'max_user_instances'), '1024\n');
  });

  it('checks only the client tools for existing clusters', async () => {
    const checks = await doctor({ FAKE_DOCKER_DOWN: '1' }, 'existing');
    expect(checks.map((c) => [c.name, c.ok])).toEqual([
      ['kubectl', true],
      ['istioctl', true],
    ]);
  });
});
