// Pool benchmark on the fake host (test doubles for docker/kind/kubectl/istioctl, real SQLite file):
//   pool.assign_p50 / _p95         "Start lab" with a warm pool, one learner after another
//   pool.assign_concurrent_p50/p95  the same with every learner clicking at once
//   local.assign_p50 / _p95          the local provider (no cluster)
//   provision.fake.<step>_ms        one pipeline run against the doubles (command overhead only)
//   provision.real.<step>_ms        printed when a real run left step timings (`clusters create` or the real suite)
// Usage: npx tsx clusters/bench/pool.bench.ts

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadClustersConfig } from '../src/clusters-config';
import { createEnvironmentService } from '../src/environment-service';
import { EnvironmentStore, migrateEnvironmentStore } from '../src/environment-store';
import { LocalEnvironmentProvider } from '../src/local-environment-provider';
import { openSqliteDatabase } from '../src/sqlite-database';
import { kindSteps } from '../src/step-names';
import { createTestbed } from '../src/testing/kind-testbed';
import { testLogger } from '../src/testing/test-logger';
import { preloadImages } from '../src/cluster-manifests';
import { clustersRoot } from '../src/cluster-paths';

const POOL = 20;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

function report(name: string, samples: number[]): void {
  process.stdout.write(`${name}_p50: ${percentile(samples, 50).toFixed(2)} ms\n`);
  process.stdout.write(`${name}_p95: ${percentile(samples, 95).toFixed(2)} ms\n`);
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const v = await fn();
  return [v, performance.now() - t];
}

async function warmPoolBench(concurrent: boolean): Promise<number[]> {
  const scratch = await mkdtemp(path.join(tmpdir(), 'pool-bench-'));
  const bed = await createTestbed(
    {
      CLUSTERS_POOL_SIZE: String(POOL),
      CLUSTERS_MAX_CLUSTERS: String(POOL),
      CLUSTERS_MAX_CONCURRENT_PROVISIONS: '4',
      // The fake host is assumed to have 64 GiB; fake clusters weigh nothing, so memory must not cap the pool.
      CLUSTERS_MEMORY_PER_CLUSTER_MIB: '1024',
      // Pool logic is measured here, not the pipeline: only create-cluster runs while warming.
      CLUSTERS_SKIP_STEPS: kindSteps.filter((s) => s !== 'create-cluster').join(','),
    },
    { dbFile: path.join(scratch, 'clusters.sqlite'), ingressPairs: POOL },
  );
  try {
    const service = bed.service(bed.kind());
    await service.start();
    await service.idle();
    const ready = (await service.list()).filter((e) => e.status === 'ready').length;
    if (ready !== POOL) throw new Error(`pool warmed to ${ready}, expected ${POOL}`);
    const samples: number[] = [];
    const one = async (i: number) => {
      const [env, ms] = await timed(() => service.assign(`learner-${i}`, 'l01', 'v1'));
      if (env.status !== 'assigned') throw new Error(`learner-${i} got ${env.status}`);
      samples.push(ms);
    };
    if (concurrent) await Promise.all(Array.from({ length: POOL }, (_, i) => one(i)));
    else for (let i = 0; i < POOL; i += 1) await one(i);
    const ids = new Set((await new EnvironmentStore(bed.db).list({ status: 'assigned' })).map((e) => e.learnerId));
    if (ids.size !== POOL) throw new Error(`expected ${POOL} distinct assignments, got ${ids.size}`);
    return samples;
  } finally {
    await bed.close();
    await rm(scratch, { recursive: true, force: true });
  }
}

async function localBench(): Promise<number[]> {
  const scratch = await mkdtemp(path.join(tmpdir(), 'local-bench-'));
  const db = openSqliteDatabase(path.join(scratch, 'clusters.sqlite'));
  await migrateEnvironmentStore(db);
  const service = createEnvironmentService({
    db,
    provider: new LocalEnvironmentProvider(null),
    config: loadClustersConfig({ CLUSTERS_PROVIDER: 'local', CLUSTERS_POOL_SIZE: '0' }),
    logger: testLogger(),
  });
  const samples: number[] = [];
  for (let i = 0; i < 200; i += 1) samples.push((await timed(() => service.assign(`learner-${i}`, 'l01', 'v1')))[1]);
  await service.stop();
  await db.destroy();
  await rm(scratch, { recursive: true, force: true });
  return samples;
}

async function fakeProvisionTimings(): Promise<void> {
  const bed = await createTestbed();
  try {
    await bed.host.addHostImages(preloadImages(bed.config.dataDir));
    const provider = bed.kind();
    const store = new EnvironmentStore(bed.db);
    const env = await store.create({ provider: 'kind' });
    const allocated = await store.recordAllocation(env.id, await provider.allocate(env, []));
    const stamps: [string, number][] = [];
    const [, total] = await timed(() =>
      provider.provision(allocated, { signal: new AbortController().signal, onStep: async (s) => void stamps.push([s, performance.now()]) }),
    );
    const end = stamps.length > 0 ? stamps[0]![1] + total : 0;
    stamps.forEach(([step, at], i) => {
      const next = stamps[i + 1]?.[1] ?? end;
      process.stdout.write(`provision.fake.${step}_ms: ${(next - at).toFixed(0)} ms\n`);
    });
    process.stdout.write(`provision.fake.total_ms: ${total.toFixed(0)} ms\n`);
    process.stdout.write(`provision.fake.commands: ${(await bed.host.invocations()).length} count\n`);
  } finally {
    await bed.close();
  }
}

function realTimings(): void {
  const dir = path.join(process.env.CLUSTERS_DATA_DIR ?? path.join(clustersRoot, '..', '.data', 'clusters'), 'clusters');
  if (!existsSync(dir)) {
    process.stdout.write('# no real provisioning timings on this host (run `npm run clusters -- create <name>` on a Docker host)\n');
    return;
  }
  for (const name of readdirSync(dir)) {
    const file = path.join(dir, name, 'step-timings.json');
    if (!existsSync(file)) continue;
    const timings = JSON.parse(readFileSync(file, 'utf8')) as { step: string; elapsedMs: number }[];
    for (const t of timings) process.stdout.write(`provision.real.${name}.${t.step}_ms: ${t.elapsedMs} ms\n`);
  }
}

report('pool.assign', await warmPoolBench(false));
report('pool.assign_concurrent', await warmPoolBench(true));
report('local.assign', await localBench());
await fakeProvisionTimings();
realTimings();
