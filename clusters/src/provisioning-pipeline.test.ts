import { readFile, writeFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { versions } from '../versions';
import { preloadImages } from './cluster-manifests';
import { clustersRoot } from './cluster-paths';
import { EnvironmentStore } from './environment-store';
import { ProvisionError } from './provision-error';
import { kindSteps } from './step-names';
import { createTestbed, type Testbed } from './testing/kind-testbed';
import { goldenFreshProvision } from './testing/golden-commands';

const never = new AbortController().signal;

describe('kind provisioning pipeline against the fake host', { timeout: 120_000 }, () => {
  let bed: Testbed;
  beforeEach(async () => {
    bed = await createTestbed();
    // "docker pull once": the host already has every pulled image; only our toolbox is built here.
    await bed.host.addHostImages(preloadImages(bed.config.dataDir).filter((i) => i !== versions.toolbox.image));
  });
  afterEach(async () => {
    await bed.close();
  });

  /** A fresh bed with some steps left out, for tests about one step (each command costs a process start). */
  async function rebed(env: Record<string, string>) {
    await bed.close();
    bed = await createTestbed(env);
  }

  async function newEnv() {
    const store = new EnvironmentStore(bed.db);
    const provider = bed.kind();
    const env = await store.create({ provider: 'kind' });
    const allocation = await provider.allocate(env, []);
    return { store, provider, env: await store.recordAllocation(env.id, allocation) };
  }

  async function normalisedLines(clusterName: string) {
    return (await bed.host.commandLines()).map((l) =>
      l.replaceAll(bed.host.dir, '<dir>').replaceAll(clustersRoot, '<clusters>').replaceAll(clusterName, '<cluster>').replace(/preload-[0-9a-f]{8}\.tar/, 'preload-<hash>.tar').replaceAll(/linux\/(amd64|arm64)/g, 'linux/<arch>'),
    );
  }

  it('runs every step in order with the exact commands', async () => {
    const { provider, env } = await newEnv();
    const steps: string[] = [];
    await provider.provision(env, { signal: never, onStep: async (s) => void steps.push(s) });
    expect(steps).toEqual(['doctor', 'create-cluster', 'preload-images', 'core-dns', 'install-istio', 'injector-ready', 'label-ns', 'bookinfo', 'addons', 'toolbox', 'smoke']);
    const lines = await normalisedLines(env.clusterName!);
    if (process.env.CLUSTERS_WRITE_GOLDEN) await writeFile(process.env.CLUSTERS_WRITE_GOLDEN, JSON.stringify(lines, null, 2));
    expect(lines).toEqual(goldenFreshProvision);
    const state = await bed.host.cluster(env.clusterName!);
    expect(state?.istio?.tag).toBe(versions.istio.version);
    expect(state?.namespaces.default?.['istio-injection']).toBe('enabled');
    expect(state?.namespaces.toolbox?.['istio-injection']).toBe('disabled');
    expect(state?.pods.every((p) => p.injected)).toBe(true);
    expect(state?.prometheusArgs).toContain('--web.external-url=/prometheus/');
    // The smoke step's tracing Telemetry never outlives the smoke step.
    expect(state?.smokeTelemetry).toBe(false);
    const kindConfig = await readFile(`${bed.config.dataDir}/clusters/${env.clusterName}/kind.yaml`, 'utf8');
    expect(kindConfig).toContain(`hostPort: ${env.httpPort}`);
    expect(kindConfig).toContain(`hostPort: ${env.httpPort! + 1}`);
  });

  it('changes nothing when run again on a provisioned cluster (idempotent)', async () => {
    const { provider, env } = await newEnv();
    await provider.provision(env, { signal: never, onStep: async () => undefined });
    await bed.host.clearInvocations();
    await provider.provision(env, { signal: never, onStep: async () => undefined });
    const lines = await normalisedLines(env.clusterName!);
    const mutating = lines.filter((l) =>
      /^(kind create|kind load|docker pull|docker build|docker image save|istioctl install)|rollout restart|patch deploy/.test(l),
    );
    expect(mutating).toEqual([]);
    expect(lines).toContain('kind get clusters');
  });

  it('restarts Bookinfo when its pods were created without a sidecar', async () => {
    await rebed({ CLUSTERS_SKIP_STEPS: 'doctor,preload-images,addons,toolbox,smoke' });
    const { provider, env } = await newEnv();
    await provider.provision(env, { signal: never, onStep: async () => undefined });
    const state = (await bed.host.cluster(env.clusterName!))!;
    await bed.host.writeCluster({ ...state, pods: state.pods.map((p) => ({ ...p, injected: false })) });
    await bed.host.clearInvocations();
    await provider.provision(env, { signal: never, fromStep: 'bookinfo', onStep: async () => undefined });
    const lines = await normalisedLines(env.clusterName!);
    expect(lines).toContain('kubectl --kubeconfig <dir>/data/kubeconfigs/<cluster>.yaml -n default rollout restart deploy');
    expect(lines[0]).toBe('kubectl --kubeconfig <dir>/data/kubeconfigs/<cluster>.yaml -n default apply -f -');
  });

  it('fails a hanging step with a retryable timeout naming the step', async () => {
    await rebed({ CLUSTERS_TIMEOUT_SCALE: '0.02', CLUSTERS_SKIP_STEPS: 'doctor,preload-images' });
    await bed.host.setBehaviours([{ match: 'rollout status deploy/coredns', action: 'hang' }]);
    const { provider, env } = await newEnv();
    const error = await provider.provision(env, { signal: never, onStep: async () => undefined }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProvisionError);
    expect((error as ProvisionError).step).toBe('core-dns');
    expect((error as ProvisionError).retryable).toBe(true);
    expect((error as ProvisionError).message).toMatch(/^core-dns: timed out after \d+ s/);
  });

  it('fails permanently at doctor when a tool is not at its pin', async () => {
    const { provider, env } = await newEnv();
    bed.host.env.FAKE_KIND_VERSION = 'v0.29.0';
    const error = await provider.provision(env, { signal: never, onStep: async () => undefined }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProvisionError);
    expect((error as ProvisionError).retryable).toBe(false);
    expect((error as ProvisionError).message).toMatch(/kind\s+v0\.29\.0[\s\S]*expected: v0\.33\.0/);
    expect(await bed.host.clusters()).toEqual([]);
  });

  it('removes a half-made cluster when kind create fails, so a retry starts clean', async () => {
    await rebed({ CLUSTERS_SKIP_STEPS: kindSteps.filter((s) => s !== 'create-cluster').join(',') });
    await bed.host.setBehaviours([{ match: 'kind create cluster', action: 'fail', times: 1, stderr: 'ERROR: failed to create cluster: could not pull image' }]);
    const { provider, env } = await newEnv();
    const error = await provider.provision(env, { signal: never, onStep: async () => undefined }).catch((e: unknown) => e);
    expect((error as ProvisionError).step).toBe('create-cluster');
    expect((error as ProvisionError).retryable).toBe(true);
    const lines = await normalisedLines(env.clusterName!);
    expect(lines.at(-1)).toBe('kind delete cluster --name <cluster>');
    await provider.provision(env, { signal: never, fromStep: 'create-cluster', onStep: async () => undefined });
    expect(await bed.host.clusters()).toEqual([env.clusterName]);
  });
});
