import { afterEach, describe, expect, it } from 'vitest';
import { versions } from '../versions';
import { preloadImages } from './cluster-manifests';
import { EnvironmentCapacityError } from './environment-service';
import { kindSteps } from './step-names';
import { countingProvider } from './testing/counting-provider';
import { createTestbed, type Testbed } from './testing/kind-testbed';

/** Everything but create-cluster: for tests of pool logic, where the pipeline's content is not the subject. */
const onlyCreate = kindSteps.filter((s) => s !== 'create-cluster').join(',');

describe('environment service with the kind provider (fake host)', { timeout: 120_000 }, () => {
  let bed: Testbed;
  afterEach(async () => {
    await bed.close();
  });

  it('resumes a failed provision from the failed step and hands it to the learner waiting for it', async () => {
    bed = await createTestbed();
    await bed.host.addHostImages(preloadImages(bed.config.dataDir));
    await bed.host.setBehaviours([{ match: 'istioctl install', action: 'fail', times: 1, stderr: 'Error: etcdserver: request timed out' }]);
    const service = bed.service(bed.kind());
    const env = await service.assign('ada', 'l01', 'v1');
    expect(['requested', 'provisioning']).toContain(env.status);
    expect(env.learnerId).toBe('ada');
    await service.idle();
    const done = await service.get(env.id);
    expect(done?.status).toBe('assigned');
    expect(done?.attempts).toBe(2);
    expect(done?.step).toBeNull();
    const lines = await bed.host.commandLines();
    expect(lines.filter((l) => l.startsWith('istioctl install'))).toHaveLength(2);
    expect(lines.filter((l) => l.startsWith('kind create cluster'))).toHaveLength(1);
    // Resumed at install-istio: the doctor (kind version) and the earlier steps did not run again.
    expect(lines.filter((l) => l === 'kind version')).toHaveLength(1);
    const firstInstall = lines.findIndex((l) => l.startsWith('istioctl install'));
    expect(lines[firstInstall + 1]).toMatch(/-n istio-system get deploy -o json$/);
  });

  it('stops a provision in flight when its environment is released, and deletes the cluster', async () => {
    bed = await createTestbed({ CLUSTERS_SKIP_STEPS: 'doctor,preload-images' });
    await bed.host.setBehaviours([{ match: 'istioctl install', action: 'hang' }]);
    const service = bed.service(bed.kind());
    const env = await service.assign('ada', 'l01', 'v1');
    for (let i = 0; i < 400 && (await service.get(env.id))?.step !== 'install-istio'; i += 1) await new Promise((r) => setTimeout(r, 25));
    const released = await service.release(env.id);
    expect(released.status).toBe('expiring');
    await service.idle();
    expect((await service.get(env.id))?.status).toBe('deleted');
    expect(await bed.host.clusters()).toEqual([]);
    const lines = await bed.host.commandLines();
    expect(lines.at(-1)).toBe(`kind delete cluster --name ${env.clusterName ?? (await service.get(env.id))?.clusterName}`);
  });

  it('never assigns one environment twice and respects pool, capacity and concurrency caps', async () => {
    bed = await createTestbed({
      CLUSTERS_SKIP_STEPS: onlyCreate,
      CLUSTERS_POOL_SIZE: '3',
      CLUSTERS_MAX_CLUSTERS: '5',
      CLUSTERS_MAX_CONCURRENT_PROVISIONS: '2',
    });
    // Slow creates make the provisions overlap, so the concurrency cap is really exercised.
    await bed.host.setBehaviours([{ match: 'kind create cluster', action: 'slow', ms: 300 }]);
    const provider = countingProvider(bed.kind());
    const service = bed.service(provider);
    await service.start();
    await service.idle();
    expect((await service.list()).filter((e) => e.status === 'ready')).toHaveLength(3);

    const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => service.assign(`learner-${i}`, 'l01', 'v1')));
    const granted = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    expect(granted).toHaveLength(5);
    expect(new Set(granted.map((e) => e.id)).size).toBe(5);
    expect(granted.filter((e) => e.status === 'assigned')).toHaveLength(3);
    for (const e of refused) expect(e).toBeInstanceOf(EnvironmentCapacityError);
    expect(String(refused[0])).toMatch(/no capacity for a new environment: 5 of 5 in use/);

    await service.idle();
    const all = await service.list();
    expect(all.filter((e) => e.status === 'assigned').map((e) => e.learnerId).sort()).toEqual(granted.map((e) => e.learnerId).sort());
    expect(provider.maxConcurrent).toBe(2);
    expect((await bed.host.clusters()).length).toBe(5);
    // Allocated one at a time: every environment has its own host port pair.
    expect(new Set(all.map((e) => e.httpPort)).size).toBe(5);
  });

  it('expires an assignment on TTL and deletes its cluster; reset gives a fresh cluster', async () => {
    let clock = new Date('2026-11-23T10:00:00Z');
    bed = await createTestbed({ CLUSTERS_SKIP_STEPS: onlyCreate, CLUSTERS_TTL_MINUTES: '30' });
    const service = bed.service(bed.kind(), { now: () => clock });
    const first = await service.assign('ada', 'l01', 'v1');
    await service.idle();
    const assigned = await service.get(first.id);
    expect(assigned?.status).toBe('assigned');
    expect(assigned?.expiresAt).toBe('2026-11-23T10:30:00.000Z');

    const fresh = await service.reset(first.id);
    expect(fresh.id).not.toBe(first.id);
    await service.idle();
    expect((await service.get(first.id))?.status).toBe('deleted');
    expect(await bed.host.clusters()).toEqual([(await service.get(fresh.id))?.clusterName]);

    clock = new Date('2026-11-23T11:00:01Z');
    await service.tick();
    await service.idle();
    expect((await service.get(fresh.id))?.status).toBe('deleted');
    expect(await bed.host.clusters()).toEqual([]);
    expect((await bed.host.commandLines()).filter((l) => l.startsWith('kind delete cluster'))).toHaveLength(2);
  });

  it('recycles a pool environment whose mesh went sick, and replaces it', async () => {
    let clock = new Date('2026-11-23T10:00:00Z');
    // The deep health check reads istiod and Bookinfo through the ingress: keep the steps that make them.
    const skip = ['doctor', 'preload-images', 'core-dns', 'addons', 'toolbox', 'smoke'].join(',');
    bed = await createTestbed({ CLUSTERS_POOL_SIZE: '1', CLUSTERS_HEALTH_INTERVAL_SECONDS: '60', CLUSTERS_SKIP_STEPS: skip });
    const service = bed.service(bed.kind(), { now: () => clock });
    await service.start();
    await service.idle();
    const [ready] = await service.list();
    expect(ready?.status).toBe('ready');
    const state = (await bed.host.cluster(ready!.clusterName!))!;
    await bed.host.writeCluster({ ...state, istio: undefined });

    clock = new Date('2026-11-23T10:01:01Z');
    await service.tick();
    await service.idle();
    const sick = await service.get(ready!.id);
    expect(sick?.status).toBe('deleted');
    expect(sick?.failureReason).toMatch(/^unhealthy: istiod not Available/);
    const replacement = (await service.list()).find((e) => e.id !== ready!.id);
    expect(replacement?.status).toBe('ready');
    expect(versions.istio.version).toBe((await bed.host.cluster(replacement!.clusterName!))?.istio?.tag);
  });
});
