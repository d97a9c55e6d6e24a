import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { versions } from '../versions';
import { loadExistingClusters } from './existing-environment-provider';
import { terminalTargetFor } from './terminal-target';
import { createTestbed, type Testbed } from './testing/kind-testbed';

describe('existing provider (kubeconfigs of clusters made elsewhere)', { timeout: 120_000 }, () => {
  let bed: Testbed;
  afterEach(async () => {
    await bed.close();
  });

  async function twoClusters() {
    const base = { httpPort: null, images: [], applied: [], pods: [] };
    // room-1 is bare; room-2 already runs Istio at our pin (installed by someone else).
    await bed.host.writeCluster({ name: 'room-1', ...base, namespaces: { default: {} } });
    await bed.host.writeCluster({ name: 'room-2', ...base, namespaces: { default: {} }, istio: { tag: versions.istio.version } });
    for (const name of ['room-1', 'room-2']) {
      await writeFile(path.join(bed.host.dir, `${name}.kubeconfig`), `apiVersion: v1\nkind: Config\ncurrent-context: kind-${name}\n`);
    }
    const listFile = path.join(bed.host.dir, 'existing.yaml');
    await writeFile(listFile, 'clusters:\n  - name: room-1\n    kubeconfig: room-1.kubeconfig\n  - name: room-2\n    kubeconfig: room-2.kubeconfig\n');
    return loadExistingClusters(listFile);
  }

  it('installs only what is missing on each cluster, then assigns them; release scrubs learner config', async () => {
    // addons/toolbox/smoke behave as on kind (covered there); this test is about what differs.
    bed = await createTestbed({ CLUSTERS_POOL_SIZE: '2', CLUSTERS_SKIP_STEPS: 'addons,toolbox,smoke' });
    const clusters = await twoClusters();
    expect(clusters.map((c) => c.kubeconfigPath)).toEqual([
      path.join(bed.host.dir, 'room-1.kubeconfig'),
      path.join(bed.host.dir, 'room-2.kubeconfig'),
    ]);
    const service = bed.service(bed.existing(clusters));
    await service.start();
    await service.idle();
    const envs = await service.list();
    expect(envs.map((e) => [e.clusterName, e.status]).sort()).toEqual([
      ['room-1', 'ready'],
      ['room-2', 'ready'],
    ]);
    const lines = await bed.host.commandLines();
    const installs = lines.filter((l) => l.startsWith('istioctl install'));
    expect(installs).toHaveLength(1);
    expect(installs[0]).toContain('room-1.kubeconfig');
    // No kind, no docker: these clusters are not ours to create or load.
    expect(lines.some((l) => /^(kind|docker) /.test(l))).toBe(false);
    expect(lines.filter((l) => l.endsWith('get --raw /readyz'))).toHaveLength(2);

    const env = await service.assign('ada', 'l01', 'v1');
    expect(env.status).toBe('assigned');
    expect(terminalTargetFor(env)).toMatchObject({ kind: 'kubectl-exec', kubeconfig: env.kubeconfigPath, pod: 'deploy/toolbox' });
    await service.release(env.id);
    await service.idle();
    expect((await bed.host.cluster(env.clusterName!))?.scrubs).toBe(1);
    // The slot comes back to the pool, re-verified by the same pipeline.
    const again = (await service.list()).filter((e) => e.status === 'ready').map((e) => e.clusterName).sort();
    expect(again).toEqual(['room-1', 'room-2']);
  });

  it('verifies Bookinfo through the API-server service proxy (no host port on an existing cluster)', async () => {
    bed = await createTestbed();
    const clusters = await twoClusters();
    const service = bed.service(bed.existing([clusters[1]!]));
    const env = await service.assign('ada', 'l01', 'v1');
    await service.idle();
    expect((await service.get(env.id))?.status).toBe('assigned');
    const lines = await bed.host.commandLines();
    expect(lines.filter((l) => l.endsWith('get --raw /api/v1/namespaces/istio-system/services/istio-ingressgateway:80/proxy/productpage')).length).toBeGreaterThanOrEqual(5);
    expect((await bed.host.cluster('room-2'))?.smokeTelemetry).toBe(false);
  });

  it('refuses an Istio that differs from the pin instead of replacing it', async () => {
    bed = await createTestbed();
    const clusters = await twoClusters();
    const state = (await bed.host.cluster('room-2'))!;
    await bed.host.writeCluster({ ...state, istio: { tag: '1.28.0' } });
    const service = bed.service(bed.existing([clusters[1]!]));
    const env = await service.assign('ada', 'l01', 'v1');
    await service.idle();
    const after = await service.get(env.id);
    expect(after?.status).toBe('deleted');
    expect(after?.failureReason).toMatch(/install-istio: istiod already runs docker\.io\/istio\/pilot:1\.28\.0/);
    expect((await bed.host.commandLines()).some((l) => l.startsWith('istioctl install'))).toBe(false);
  });

  it('names the file and the field of a bad cluster list', async () => {
    bed = await createTestbed();
    const file = path.join(bed.host.dir, 'bad.yaml');
    await writeFile(file, 'clusters:\n  - name: Room_1\n    kubeconfig: ""\n');
    expect(() => loadExistingClusters(file)).toThrow(/bad\.yaml: clusters\.0\.name: expected a DNS-label-like name.*; clusters\.0\.kubeconfig: expected a kubeconfig file path/);
  });
});
