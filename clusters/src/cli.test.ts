import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { versions } from '../versions';
import { createFakeHost, type FakeHost } from './testing/fake-host';

const cli = path.join(path.dirname(fileURLToPath(import.meta.url)), 'cli.ts');

describe('clusters CLI', () => {
  let host: FakeHost;
  beforeAll(async () => {
    host = await createFakeHost({ ingressPairs: 1 });
  });
  afterAll(async () => {
    await host.close();
  });

  function run(args: string[], env: Record<string, string> = {}) {
    return spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], {
      env: { ...host.env, CLUSTERS_DATA_DIR: path.join(host.dir, 'data'), ...env },
      encoding: 'utf8',
      timeout: 60_000,
    });
  }

  it('plan prints every step, command and manifest and executes nothing', async () => {
    await host.clearInvocations();
    const r = run(['plan', 'demo']);
    expect(r.status).toBe(0);
    for (const step of ['doctor', 'create-cluster', 'preload-images', 'install-istio', 'bookinfo', 'addons', 'toolbox', 'smoke']) {
      expect(r.stdout).toMatch(new RegExp(`^## \\d+\\. ${step}$`, 'm'));
    }
    expect(r.stdout).toContain(`$ kind create cluster --name demo --image ${versions.kind.nodeImage}`);
    expect(r.stdout).toContain('kind: IstioOperator'); // the overlay's contents
    expect(r.stdout).toContain('image: docker.io/istio/examples-bookinfo-reviews-v3:1.20.3');
    expect(r.stdout).toContain('GET http://127.0.0.1:18080/productpage');
    expect(await host.invocations()).toEqual([]);
  });

  it('doctor passes at the pins and exits non-zero with a fix hint when Docker is down', () => {
    const ok = run(['doctor'], { CLUSTERS_PROVIDER: 'kind', CLUSTERS_PROC_ROOT: host.procRoot });
    expect(ok.stdout).toContain('all checks passed');
    expect(ok.status).toBe(0);
    const down = run(['doctor'], { CLUSTERS_PROVIDER: 'kind', CLUSTERS_PROC_ROOT: host.procRoot, FAKE_DOCKER_DOWN: '1' });
    expect(down.status).toBe(1);
    expect(down.stdout).toMatch(/FAIL\s+docker engine\s+not reachable: Cannot connect to the Docker daemon/);
    expect(down.stdout).toMatch(/fix: start the Docker daemon/);
  });

  it('images lists every image with where it comes from', () => {
    const r = run(['images']);
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^kindest\/node:v1\.35\.8@sha256:[0-9a-f]{64}\s+# kind node/);
    expect(r.stdout).toMatch(/docker\.io\/istio\/pilot:1\.30\.3\s+# istio\/overlay\.yaml/);
    expect(r.stdout).toMatch(/localhost\/istio-workshop-toolbox:\S+\s+# manifests\/toolbox\.yaml/);
    expect(lines).toHaveLength(18);
  });

  it('rejects a bad config value naming the variable', () => {
    const r = run(['list'], { CLUSTERS_POOL_SIZE: 'many' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('CLUSTERS_POOL_SIZE="many": expected a whole number ≥ 0');
  });
});
