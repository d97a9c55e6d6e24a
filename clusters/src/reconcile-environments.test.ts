import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { preloadImages } from './cluster-manifests';
import { EnvironmentStore } from './environment-store';
import { kindSteps } from './step-names';
import { createTestbed, type Testbed } from './testing/kind-testbed';

const onlyCreate = kindSteps.filter((s) => s !== 'create-cluster').join(',');
const here = path.dirname(fileURLToPath(import.meta.url));

describe('reconciler (crash recovery) with the kind provider', { timeout: 120_000 }, () => {
  let bed: Testbed;
  let scratch: string | null = null;
  afterEach(async () => {
    await bed.close();
    if (scratch) await rm(scratch, { recursive: true, force: true });
    scratch = null;
  });

  it('resumes a provision whose process was killed mid-pipeline, from the step it was in', async () => {
    scratch = await mkdtemp(path.join(tmpdir(), 'crash-'));
    const dbFile = path.join(scratch, 'clusters.sqlite');
    bed = await createTestbed({}, { dbFile });
    await bed.host.addHostImages(preloadImages(bed.config.dataDir));
    await bed.host.setBehaviours([{ match: 'istioctl install', action: 'hang' }]);
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'testing', 'provisioner-child.ts')], {
      env: {
        ...bed.host.env,
        CLUSTERS_PROVIDER: 'kind',
        CLUSTERS_DB_PATH: dbFile,
        CLUSTERS_DATA_DIR: bed.config.dataDir,
        CLUSTERS_HTTP_PORT_RANGE: `${bed.host.portRange.first}-${bed.host.portRange.last}`,
        CLUSTERS_TIMEOUT_SCALE: '0.2',
        CLUSTERS_POOL_SIZE: '0',
        FAKE_PROC_ROOT: bed.host.procRoot,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const store = new EnvironmentStore(bed.db);
    // Wait until the child is inside install-istio (istioctl hangs there), then kill it hard.
    let hung: { pid: number } | undefined;
    for (let i = 0; i < 400 && !hung; i += 1) {
      await sleep(50);
      hung = (await bed.host.invocations()).find((v) => v.tool === 'istioctl' && v.argv[0] === 'install') as { pid: number } | undefined;
    }
    expect(hung).toBeDefined();
    const [before] = await store.list();
    expect(before?.status).toBe('provisioning');
    expect(before?.step).toBe('install-istio');
    child.kill('SIGKILL');
    process.kill(hung!.pid, 'SIGKILL'); // the orphaned istioctl would otherwise linger
    await new Promise((r) => child.once('exit', r));

    await bed.host.setBehaviours([]);
    await bed.host.clearInvocations();
    const service = bed.service(bed.kind());
    const report = await service.start();
    expect(report.resumed).toEqual([before!.id]);
    await service.idle();
    const after = await service.get(before!.id);
    expect(after?.status).toBe('assigned');
    expect(after?.learnerId).toBe('ada');
    expect(after?.attempts).toBe(2);
    const lines = await bed.host.commandLines();
    expect(lines[0]).toBe('kind get clusters'); // the reconciler's look at the host
    expect(lines[1]).toMatch(/-n istio-system get deploy -o json$/); // install-istio, resumed
    expect(lines.some((l) => l.startsWith('kind create cluster'))).toBe(false);
    expect(await bed.host.clusters()).toEqual([after!.clusterName]);
  });

  it('fails and deletes environments whose cluster vanished, finishes interrupted deletions, leaves foreign clusters alone', async () => {
    bed = await createTestbed({ CLUSTERS_SKIP_STEPS: onlyCreate, CLUSTERS_ADOPT_ORPHANS: 'false' });
    const store = new EnvironmentStore(bed.db);
    const provider = bed.kind();
    const mk = async (status: 'ready' | 'assigned' | 'expiring', clusterName: string, learnerId: string | null = null) => {
      const env = await store.create({ provider: 'kind', clusterName, kubeconfigPath: `/nowhere/${clusterName}`, httpPort: null, learnerId });
      await store.transition(env.id, 'provisioning');
      await store.transition(env.id, 'ready');
      if (status === 'assigned') return store.transition(env.id, 'assigned');
      if (status === 'expiring') return store.transition(env.id, 'expiring');
      return store.require(env.id);
    };
    const base = { httpPort: null, images: [], namespaces: {}, applied: [], pods: [] };
    const gone = await mk('assigned', 'iw-gone', 'ada');
    const dying = await mk('expiring', 'iw-dying');
    await bed.host.writeCluster({ name: 'iw-dying', ...base });
    await bed.host.writeCluster({ name: 'iw-orphan', ...base });
    await bed.host.writeCluster({ name: 'someone-elses', ...base });

    const service = bed.service(provider);
    const report = await service.start();
    await service.idle();
    expect(report.failed).toEqual([gone.id]);
    expect(report.deletedOrphans).toEqual(['iw-orphan']);
    const goneAfter = await service.get(gone.id);
    expect(goneAfter?.status).toBe('deleted');
    expect(goneAfter?.failureReason).toBe('cluster iw-gone no longer exists');
    expect((await service.forLearner('ada'))?.failureReason).toBe('cluster iw-gone no longer exists');
    expect((await service.get(dying.id))?.status).toBe('deleted');
    expect(await bed.host.clusters()).toEqual(['someone-elses']);
  });

  it('adopts an orphan cluster into the pool after re-verifying it with the pipeline', async () => {
    bed = await createTestbed({ CLUSTERS_SKIP_STEPS: onlyCreate, CLUSTERS_POOL_SIZE: '1' });
    await bed.host.writeCluster({ name: 'iw-orphan', httpPort: bed.host.portRange.first, images: [], namespaces: {}, applied: [], pods: [] });
    const service = bed.service(bed.kind());
    const report = await service.start();
    await service.idle();
    expect(report.adopted).toEqual(['iw-orphan']);
    const [env] = await service.list();
    expect(env?.status).toBe('ready');
    expect(env?.clusterName).toBe('iw-orphan');
    expect(env?.httpPort).toBe(bed.host.portRange.first);
    const lines = await bed.host.commandLines();
    expect(lines).toContain('docker port iw-orphan-control-plane 30080/tcp');
    expect(lines.some((l) => l.startsWith('kind export kubeconfig --name iw-orphan'))).toBe(true);
    expect(lines.some((l) => l.startsWith('kind create'))).toBe(false);
    expect(await bed.host.clusters()).toEqual(['iw-orphan']);
  });
});
