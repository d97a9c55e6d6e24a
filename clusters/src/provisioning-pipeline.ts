// The provisioning pipeline (docs/learner-environment.md): named, idempotent steps, each with a readiness condition
// and a timeout. A step first looks at the cluster and only acts on what is missing, so re-running a
// step (after a crash, or on an `existing` cluster that already has Istio) is always safe.

import { mkdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { versions } from '../versions';
import { grafanaSubPathEnv, prometheusSubPathArgs } from './addon-overrides';
import { clusterFiles } from './cluster-paths';
import { addonSources, manifests, preloadImages, renderKindConfig } from './cluster-manifests';
import { CommandError, type CommandResult, type CommandRunner } from './command-runner';
import { formatDoctor, runDoctor } from './doctor';
import { ProvisionError } from './provision-error';
import { existingSteps, kindSteps, type StepName } from './step-names';

export { kindSteps, existingSteps, type StepName } from './step-names';

/** Step timeouts before CLUSTERS_TIMEOUT_SCALE (readiness budgets from docs/learner-environment.md plus command time). */
export const stepTimeoutsMs: Record<StepName, number> = {
  doctor: 60_000,
  'create-cluster': 300_000,
  'preload-images': 900_000,
  'core-dns': 120_000,
  'install-istio': 420_000,
  'injector-ready': 120_000,
  'label-ns': 60_000,
  bookinfo: 600_000,
  addons: 300_000,
  toolbox: 180_000,
  smoke: 180_000,
};

export interface PipelineTarget {
  provider: 'kind' | 'existing';
  clusterName: string;
  kubeconfigPath: string;
  /** Host port of the ingress gateway (kind); null when probes go through the API server. */
  httpPort: number | null;
}

export interface HttpAnswer {
  status: number;
  body: string;
}

export interface PipelineFiles {
  mkdir(dir: string): Promise<void>;
  write(file: string, text: string): Promise<void>;
  exists(file: string): boolean;
}

export const diskFiles: PipelineFiles = {
  async mkdir(dir) {
    await mkdir(dir, { recursive: true });
  },
  async write(file, text) {
    await writeFile(file, text);
  },
  exists: (file) => existsSync(file),
};

export interface PipelineEnvironment {
  runner: CommandRunner;
  logger: Logger;
  dataDir: string;
  timeoutScale: number;
  skipSteps?: readonly StepName[];
  pollIntervalMs: number;
  memoryPerClusterMiB: number;
  reservedMemoryMiB: number;
  procRoot?: string;
  /** File writes go through here so that `plan` can show them instead of doing them. */
  files: PipelineFiles;
  /** HTTP GET from the platform host (the smoke probe through the kind port mapping). */
  httpGet(url: string, timeoutMs: number, signal: AbortSignal): Promise<HttpAnswer>;
}

interface StepContext extends PipelineEnvironment {
  target: PipelineTarget;
  signal: AbortSignal;
  deadline: number;
}

export function stepsFor(provider: PipelineTarget['provider']): readonly StepName[] {
  return provider === 'kind' ? kindSteps : existingSteps;
}

export function nodeContainer(clusterName: string): string {
  return `${clusterName}-control-plane`;
}

export function dockerPlatform(arch: string = process.arch): string {
  return `linux/${arch === 'x64' ? 'amd64' : arch}`;
}

/** docker.io/library/... normalisation, to compare our refs with what crictl reports. */
export function normaliseImageRef(ref: string): string {
  const withoutDigest = ref.split('@')[0] ?? ref;
  const parts = withoutDigest.split('/');
  const first = parts[0] ?? '';
  const hasRegistry = parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (hasRegistry) return withoutDigest;
  return parts.length === 1 ? `docker.io/library/${withoutDigest}` : `docker.io/${withoutDigest}`;
}

function remaining(ctx: StepContext): number {
  return Math.max(1000, ctx.deadline - Date.now());
}

function run(ctx: StepContext, argv: string[], extra: { stdin?: string; allowFailure?: boolean; timeoutMs?: number } = {}): Promise<CommandResult> {
  return ctx.runner.run(argv, {
    timeoutMs: Math.min(extra.timeoutMs ?? Number.MAX_SAFE_INTEGER, remaining(ctx)),
    signal: ctx.signal,
    ...(extra.stdin !== undefined ? { stdin: extra.stdin } : {}),
    ...(extra.allowFailure ? { allowFailure: true } : {}),
  });
}

function kubectl(ctx: StepContext, args: string[], extra: { stdin?: string; allowFailure?: boolean; timeoutMs?: number } = {}) {
  return run(ctx, ['kubectl', '--kubeconfig', ctx.target.kubeconfigPath, ...args], extra);
}

function applyManifest(ctx: StepContext, text: string, namespace?: string) {
  return kubectl(ctx, [...(namespace ? ['-n', namespace] : []), 'apply', '-f', '-'], { stdin: text });
}

/** Polls `check` (null = ready, string = why not yet) until ready or the step's deadline. */
async function waitFor(ctx: StepContext, what: string, check: () => Promise<string | null>): Promise<void> {
  let why = 'not checked yet';
  for (;;) {
    try {
      const result = await check();
      if (result === null) return;
      why = result;
    } catch (error) {
      if (ctx.signal.aborted) break;
      why = error instanceof Error ? error.message : String(error);
    }
    if (ctx.signal.aborted) break;
    try {
      await sleep(ctx.pollIntervalMs, undefined, { signal: ctx.signal });
    } catch {
      break;
    }
  }
  throw new Error(`${what}: ${why}`);
}

function parseJson<T>(text: string, what: string): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new Error(`${what}: not JSON: ${text.slice(0, 200)}`);
  }
}

interface K8sList<T> {
  items?: T[];
}
interface K8sMeta {
  name?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  deletionTimestamp?: string;
}
interface Deployment {
  metadata?: K8sMeta;
  spec?: { template?: { spec?: { containers?: { name?: string; image?: string; args?: string[] }[] } } };
  status?: { conditions?: { type?: string; status?: string }[] };
}

function isAvailable(d: Deployment): boolean {
  return (d.status?.conditions ?? []).some((c) => c.type === 'Available' && c.status === 'True');
}

// ---------------------------------------------------------------------------------------------------
// Steps

type StepRun = (ctx: StepContext) => Promise<void>;

const doctorStep: StepRun = async (ctx) => {
  const checks = await runDoctor({
    runner: ctx.runner,
    scope: ctx.target.provider,
    memoryPerClusterMiB: ctx.memoryPerClusterMiB,
    reservedMemoryMiB: ctx.reservedMemoryMiB,
    signal: ctx.signal,
    ...(ctx.procRoot ? { procRoot: ctx.procRoot } : {}),
  });
  const failed = checks.filter((c) => !c.ok);
  if (failed.length > 0) {
    throw new ProvisionError('doctor', `host not ready:\n${formatDoctor(failed)}`, false);
  }
  if (ctx.target.provider === 'existing') {
    await waitFor(ctx, 'API server reachable', async () => {
      const r = await kubectl(ctx, ['get', '--raw', '/readyz'], { allowFailure: true, timeoutMs: 15_000 });
      return r.code === 0 ? null : `kubectl get --raw /readyz: ${r.stderr.trim() || r.stdout.trim()}`;
    });
  }
};

const createClusterStep: StepRun = async (ctx) => {
  const { clusterName, kubeconfigPath, httpPort } = ctx.target;
  const list = await run(ctx, ['kind', 'get', 'clusters']);
  const exists = list.stdout.split('\n').map((s) => s.trim()).includes(clusterName);
  await ctx.files.mkdir(path.dirname(kubeconfigPath));
  if (!exists) {
    if (httpPort === null) throw new ProvisionError('create-cluster', 'no host port allocated for the ingress gateway', false);
    const configFile = path.join(ctx.dataDir, 'clusters', clusterName, 'kind.yaml');
    await ctx.files.mkdir(path.dirname(configFile));
    await ctx.files.write(configFile, renderKindConfig(httpPort));
    try {
      await run(ctx, [
        'kind', 'create', 'cluster', '--name', clusterName, '--image', versions.kind.nodeImage,
        '--config', configFile, '--kubeconfig', kubeconfigPath, '--wait', '180s',
      ]);
    } catch (error) {
      // A half-made cluster would pass the "exists" test on retry and then never become Ready.
      await ctx.runner
        .run(['kind', 'delete', 'cluster', '--name', clusterName], { timeoutMs: 120_000 })
        .catch(() => undefined);
      throw error;
    }
  } else if (!ctx.files.exists(kubeconfigPath)) {
    await run(ctx, ['kind', 'export', 'kubeconfig', '--name', clusterName, '--kubeconfig', kubeconfigPath]);
  }
  await waitFor(ctx, 'nodes Ready', async () => {
    const r = await kubectl(ctx, ['wait', 'node', '--all', '--for=condition=Ready', '--timeout=30s'], { allowFailure: true });
    return r.code === 0 ? null : r.stderr.trim() || 'nodes not Ready';
  });
};

async function imagesInNode(ctx: StepContext): Promise<Set<string>> {
  const r = await run(ctx, ['docker', 'exec', nodeContainer(ctx.target.clusterName), 'crictl', 'images', '-o', 'json']);
  const parsed = parseJson<{ images?: { repoTags?: string[] }[] }>(r.stdout, 'crictl images');
  return new Set((parsed.images ?? []).flatMap((i) => i.repoTags ?? []).map(normaliseImageRef));
}

const preloadImagesStep: StepRun = async (ctx) => {
  const wanted = preloadImages(ctx.dataDir);
  const missingInNode = (have: Set<string>) => wanted.filter((i) => !have.has(normaliseImageRef(i)));
  const missing = missingInNode(await imagesInNode(ctx));
  if (missing.length === 0) return;
  // What the host lacks is pulled (or, for the toolbox, built) once; every later cluster reuses it.
  const inspect = await run(ctx, ['docker', 'image', 'inspect', '--format', '{{.Id}}', ...missing], { allowFailure: true });
  const absent = new Set([...inspect.stderr.matchAll(/No such image: (\S+)/g)].map((m) => m[1] ?? ''));
  for (const image of missing.filter((i) => absent.has(i))) {
    if (image === versions.toolbox.image) {
      await run(ctx, [
        'docker', 'build', '--platform', dockerPlatform(), '-t', image,
        '--build-arg', `KUBECTL_VERSION=${versions.kubectl.version}`,
        '--build-arg', `ISTIO_VERSION=${versions.istio.version}`,
        '--build-arg', `DEBIAN_BASE=${versions.toolbox.debianBase}`,
        clusterFiles.toolboxBuildContext,
      ]);
    } else {
      await run(ctx, ['docker', 'pull', '--platform', dockerPlatform(), image]);
    }
  }
  // One archive per image set, saved for this platform only: `kind load docker-image` breaks on
  // multi-platform images in the containerd image store (kind#3795), `image-archive` does not.
  const archive = path.join(ctx.dataDir, 'images', `preload-${hashOf(missing)}.tar`);
  await ctx.files.mkdir(path.dirname(archive));
  if (!ctx.files.exists(archive)) {
    const saved = await run(ctx, ['docker', 'image', 'save', '--platform', dockerPlatform(), '-o', archive, ...missing], { allowFailure: true });
    if (saved.code !== 0) {
      // (verify) engines without per-platform save (older API, classic image store): a plain save of the
      // single-platform images pulled above is equivalent there.
      if (!/platform/i.test(saved.stderr)) throw new Error(`docker image save: exit ${saved.code}: ${saved.stderr.trim()}`);
      await run(ctx, ['docker', 'image', 'save', '-o', archive, ...missing]);
    }
  }
  await run(ctx, ['kind', 'load', 'image-archive', archive, '--name', ctx.target.clusterName]);
  const still = missingInNode(await imagesInNode(ctx));
  if (still.length > 0) throw new Error(`images still missing in the node after loading: ${still.join(', ')}`);
};

function hashOf(items: readonly string[]): string {
  let h = 2166136261;
  for (const ch of [...items].sort().join('\n')) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return h.toString(16).padStart(8, '0');
}

const coreDnsStep: StepRun = async (ctx) => {
  await waitFor(ctx, 'coredns rolled out', async () => {
    const r = await kubectl(ctx, ['-n', 'kube-system', 'rollout', 'status', 'deploy/coredns', '--timeout=30s'], { allowFailure: true });
    return r.code === 0 ? null : r.stderr.trim() || r.stdout.trim();
  });
};

const istioDeployments = ['istiod', 'istio-ingressgateway', 'istio-egressgateway'];

const installIstioStep: StepRun = async (ctx) => {
  const r = await kubectl(ctx, ['-n', 'istio-system', 'get', 'deploy', '-o', 'json'], { allowFailure: true });
  const deploys = r.code === 0 ? (parseJson<K8sList<Deployment>>(r.stdout, 'istio-system deployments').items ?? []) : [];
  const istiod = deploys.find((d) => d.metadata?.name === 'istiod');
  const image = istiod?.spec?.template?.spec?.containers?.[0]?.image;
  if (image && !image.endsWith(`:${versions.istio.version}`)) {
    throw new ProvisionError(
      'install-istio',
      `istiod already runs ${image}, but the platform pins Istio ${versions.istio.version}; upgrade or uninstall it first (we never replace a different Istio)`,
      false,
    );
  }
  const ready = istioDeployments.every((n) => deploys.some((d) => d.metadata?.name === n && isAvailable(d)));
  if (!ready) {
    const readinessSeconds = Math.max(60, Math.floor(remaining(ctx) / 1000) - 30);
    await run(ctx, [
      'istioctl', 'install', '-y', '--kubeconfig', ctx.target.kubeconfigPath, '-f', clusterFiles.istioOverlay,
      '--set', `hub=${versions.istio.hub}`, '--set', `tag=${versions.istio.version}`,
      '--readiness-timeout', `${readinessSeconds}s`,
    ]);
  }
  await waitFor(ctx, 'Istio deployments Available', async () => {
    const w = await kubectl(
      ctx,
      ['-n', 'istio-system', 'wait', '--for=condition=Available', ...istioDeployments.map((d) => `deploy/${d}`), '--timeout=30s'],
      { allowFailure: true },
    );
    return w.code === 0 ? null : w.stderr.trim() || 'not Available';
  });
};

const injectorReadyStep: StepRun = async (ctx) => {
  await waitFor(ctx, 'sidecar injector has its CA bundle', async () => {
    const r = await kubectl(ctx, ['get', 'mutatingwebhookconfiguration', 'istio-sidecar-injector', '-o', 'json'], { allowFailure: true });
    if (r.code !== 0) return r.stderr.trim() || 'istio-sidecar-injector not found';
    const mwc = parseJson<{ webhooks?: { name?: string; clientConfig?: { caBundle?: string } }[] }>(r.stdout, 'injector webhook');
    const webhooks = mwc.webhooks ?? [];
    if (webhooks.length === 0) return 'istio-sidecar-injector has no webhooks yet';
    const empty = webhooks.filter((w) => !w.clientConfig?.caBundle);
    return empty.length === 0 ? null : `caBundle still empty on ${empty.map((w) => w.name).join(', ')}`;
  });
};

const labelNsStep: StepRun = async (ctx) => {
  await kubectl(ctx, ['label', 'namespace', 'default', 'istio-injection=enabled', '--overwrite']);
  await applyManifest(ctx, manifests.namespaces());
  await waitFor(ctx, 'namespace labels', async () => {
    const r = await kubectl(ctx, ['get', 'namespace', 'default', 'toolbox', '-o', 'json']);
    const list = parseJson<K8sList<{ metadata?: K8sMeta }>>(r.stdout, 'namespaces');
    const label = (name: string) => list.items?.find((n) => n.metadata?.name === name)?.metadata?.labels?.['istio-injection'];
    if (label('default') !== 'enabled') return `default has istio-injection=${label('default') ?? '(none)'}`;
    if (label('toolbox') !== 'disabled') return `toolbox has istio-injection=${label('toolbox') ?? '(none)'}`;
    return null;
  });
};

interface Pod {
  metadata?: K8sMeta;
}

async function podsWithoutSidecar(ctx: StepContext): Promise<string[]> {
  const r = await kubectl(ctx, ['-n', 'default', 'get', 'pods', '-o', 'json']);
  const pods = parseJson<K8sList<Pod>>(r.stdout, 'pods in default').items ?? [];
  return pods
    .filter((p) => !p.metadata?.deletionTimestamp)
    .filter((p) => !p.metadata?.annotations?.['sidecar.istio.io/status'])
    .map((p) => p.metadata?.name ?? '?');
}

const bookinfoStep: StepRun = async (ctx) => {
  await applyManifest(ctx, manifests.bookinfo(), 'default');
  await applyManifest(ctx, manifests.bookinfoGateway(), 'default');
  // Pods created before the namespace was labelled (or while the injector was not serving) have no
  // sidecar; a restart is the fix a learner would also need (IST0103).
  if ((await podsWithoutSidecar(ctx)).length > 0) {
    await kubectl(ctx, ['-n', 'default', 'rollout', 'restart', 'deploy']);
  }
  await waitFor(ctx, 'Bookinfo Available with sidecars', async () => {
    const w = await kubectl(ctx, ['-n', 'default', 'wait', '--for=condition=Available', 'deploy', '--all', '--timeout=60s'], { allowFailure: true });
    if (w.code !== 0) return w.stderr.trim() || 'deployments not Available';
    const bare = await podsWithoutSidecar(ctx);
    return bare.length === 0 ? null : `pods without sidecar: ${bare.join(', ')}`;
  });
};

const addonDeployments = ['prometheus', 'grafana', 'jaeger', 'kiali'];

const addonsStep: StepRun = async (ctx) => {
  for (const addon of addonSources(ctx.dataDir)) {
    await kubectl(ctx, ['apply', '-f', addon.source]);
  }
  await kubectl(ctx, ['-n', 'istio-system', 'set', 'env', 'deploy/grafana', ...grafanaSubPathEnv]);
  const r = await kubectl(ctx, ['-n', 'istio-system', 'get', 'deploy', 'prometheus', '-o', 'json']);
  const containers = parseJson<Deployment>(r.stdout, 'prometheus deployment').spec?.template?.spec?.containers ?? [];
  const index = containers.findIndex((c) => c.name === 'prometheus-server');
  if (index < 0) throw new ProvisionError('addons', 'prometheus deployment has no container named prometheus-server', false);
  const args = containers[index]?.args;
  const missingArgs = prometheusSubPathArgs.filter((a) => !(args ?? []).includes(a));
  const patch =
    args === undefined
      ? [{ op: 'add', path: `/spec/template/spec/containers/${index}/args`, value: missingArgs }]
      : missingArgs.map((value) => ({ op: 'add', path: `/spec/template/spec/containers/${index}/args/-`, value }));
  if (patch.length > 0) {
    await kubectl(ctx, ['-n', 'istio-system', 'patch', 'deploy', 'prometheus', '--type', 'json', '-p', JSON.stringify(patch)]);
  }
  for (const name of addonDeployments) {
    await waitFor(ctx, `${name} rolled out`, async () => {
      const s = await kubectl(ctx, ['-n', 'istio-system', 'rollout', 'status', `deploy/${name}`, '--timeout=60s'], { allowFailure: true });
      return s.code === 0 ? null : s.stderr.trim() || s.stdout.trim();
    });
  }
};

const toolboxStep: StepRun = async (ctx) => {
  await applyManifest(ctx, manifests.toolbox());
  await waitFor(ctx, 'toolbox rolled out', async () => {
    const s = await kubectl(ctx, ['-n', 'toolbox', 'rollout', 'status', 'deploy/toolbox', '--timeout=60s'], { allowFailure: true });
    return s.code === 0 ? null : s.stderr.trim() || s.stdout.trim();
  });
  await waitFor(ctx, 'istioctl runs in the toolbox', async () => {
    const e = await kubectl(ctx, ['-n', 'toolbox', 'exec', 'deploy/toolbox', '-c', 'toolbox', '--', 'istioctl', 'version', '--remote=false'], {
      allowFailure: true,
    });
    if (e.code !== 0) return e.stderr.trim() || `exit ${e.code}`;
    return e.stdout.includes(versions.istio.version) ? null : `toolbox istioctl is ${e.stdout.trim()}, expected ${versions.istio.version}`;
  });
};

export const productpageMarkers = ['Book Details', 'Reviews served by:'];

async function getProductpage(ctx: StepContext): Promise<HttpAnswer> {
  if (ctx.target.httpPort !== null) {
    return ctx.httpGet(`http://127.0.0.1:${ctx.target.httpPort}/productpage`, 10_000, ctx.signal);
  }
  // No host port on an existing cluster: go through the API server's service proxy (plain GET is fine).
  const r = await kubectl(ctx, ['get', '--raw', '/api/v1/namespaces/istio-system/services/istio-ingressgateway:80/proxy/productpage'], {
    allowFailure: true,
    timeoutMs: 15_000,
  });
  return { status: r.code === 0 ? 200 : 502, body: r.code === 0 ? r.stdout : r.stderr };
}

function productpageProblem(answer: HttpAnswer): string | null {
  if (answer.status !== 200) return `GET /productpage answered ${answer.status}`;
  const missing = productpageMarkers.filter((m) => !answer.body.includes(m));
  return missing.length === 0 ? null : `productpage body lacks ${missing.map((m) => JSON.stringify(m)).join(', ')}`;
}

export const promQueryPath = '/api/v1/namespaces/istio-system/services/prometheus:9090/proxy/api/v1/query?query=istio_requests_total';
export const smokeTracePath =
  '/api/v1/namespaces/istio-system/services/tracing:80/proxy/jaeger/api/traces?service=istio-ingressgateway.istio-system&lookback=15m&limit=5';

const smokeStep: StepRun = async (ctx) => {
  let okInARow = 0;
  await waitFor(ctx, 'Bookinfo answers through the ingress gateway 5 times in a row', async () => {
    const problem = productpageProblem(await getProductpage(ctx));
    okInARow = problem === null ? okInARow + 1 : 0;
    if (problem !== null) return problem;
    return okInARow >= 5 ? null : `${okInARow}/5 good answers`;
  });
  await waitFor(ctx, 'Prometheus has istio_requests_total', async () => {
    await getProductpage(ctx);
    const r = await kubectl(ctx, ['get', '--raw', promQueryPath], { allowFailure: true, timeoutMs: 15_000 });
    if (r.code !== 0) return `Prometheus query failed: ${r.stderr.trim()}`;
    const body = parseJson<{ data?: { result?: unknown[] } }>(r.stdout, 'Prometheus answer');
    return (body.data?.result?.length ?? 0) > 0 ? null : 'istio_requests_total has no series yet (scrape every 15 s)';
  });
  await applyManifest(ctx, manifests.smokeTracing());
  try {
    await waitFor(ctx, 'a test trace is visible in Jaeger', async () => {
      await getProductpage(ctx);
      const r = await kubectl(ctx, ['get', '--raw', smokeTracePath], { allowFailure: true, timeoutMs: 15_000 });
      if (r.code !== 0) return `Jaeger query failed: ${r.stderr.trim()}`;
      const body = parseJson<{ data?: unknown[] }>(r.stdout, 'Jaeger answer');
      return (body.data?.length ?? 0) > 0 ? null : 'no trace of istio-ingressgateway yet';
    });
  } finally {
    // Never hand a learner a mesh with our tracing switched on (lab 18 has them do it).
    await ctx.runner
      .run(['kubectl', '--kubeconfig', ctx.target.kubeconfigPath, '-n', 'istio-system', 'delete', 'telemetry', 'platform-smoke-tracing', '--ignore-not-found'], {
        timeoutMs: 30_000,
      })
      .catch((error: unknown) => ctx.logger.warn({ err: error }, 'could not delete the smoke Telemetry'));
  }
};

const stepRuns: Record<StepName, StepRun> = {
  doctor: doctorStep,
  'create-cluster': createClusterStep,
  'preload-images': preloadImagesStep,
  'core-dns': coreDnsStep,
  'install-istio': installIstioStep,
  'injector-ready': injectorReadyStep,
  'label-ns': labelNsStep,
  bookinfo: bookinfoStep,
  addons: addonsStep,
  toolbox: toolboxStep,
  smoke: smokeStep,
};

// ---------------------------------------------------------------------------------------------------
// Running

export interface RunPipelineOptions {
  signal: AbortSignal;
  fromStep?: string | null;
  onStep(step: StepName): Promise<void>;
}

export interface StepTiming {
  step: StepName;
  elapsedMs: number;
}

/** Runs the steps for the target in order, from `fromStep` if given. Returns each step's duration. */
export async function runPipeline(target: PipelineTarget, env: PipelineEnvironment, options: RunPipelineOptions): Promise<StepTiming[]> {
  const steps = stepsFor(target.provider).filter((s) => !(env.skipSteps ?? []).includes(s));
  const startIndex = options.fromStep ? Math.max(0, steps.indexOf(options.fromStep as StepName)) : 0;
  const timings: StepTiming[] = [];
  for (const step of steps.slice(startIndex)) {
    await options.onStep(step);
    const started = Date.now();
    const timeoutMs = Math.round(stepTimeoutsMs[step] * env.timeoutScale);
    const controller = new AbortController();
    const onOuterAbort = () => controller.abort();
    options.signal.addEventListener('abort', onOuterAbort, { once: true });
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      await stepRuns[step]({ ...env, target, signal: controller.signal, deadline: started + timeoutMs });
    } catch (error) {
      if (options.signal.aborted) throw error;
      if (error instanceof ProvisionError) throw error;
      const timedOut = controller.signal.aborted;
      const message = error instanceof Error ? error.message : String(error);
      const notFound = error instanceof CommandError && error.reason === 'not-found';
      throw new ProvisionError(step, timedOut ? `timed out after ${Math.round(timeoutMs / 1000)} s: ${message}` : message, !notFound, {
        cause: error,
      });
    } finally {
      clearTimeout(timer);
      options.signal.removeEventListener('abort', onOuterAbort);
    }
    const elapsedMs = Date.now() - started;
    timings.push({ step, elapsedMs });
    env.logger.info({ cluster: target.clusterName, step, elapsedMs }, 'step done');
  }
  return timings;
}
