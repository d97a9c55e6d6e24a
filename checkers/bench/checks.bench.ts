/**
 * Times each lab's full check run (every step, in order) against the fake API server, Bookinfo
 * ingress and Prometheus seeded with the lab's solution state. Two numbers per lab:
 *   checks.<lab>: wall time with the real poll budgets (probes need 2 good samples 1 s apart);
 *   checks.<lab>.compute: the same run with poll intervals at 0 (reads, probes, assertions only).
 */
import type { KubeObject } from '../src/cluster-reader';
import { labCatalog } from '../src/lab-steps';
import { checkRegistry } from '../src/registry';
import { httpbinHost, startCheckHarness, type CheckHarness, type RouteTable } from '../src/testing';
import { introState, labelled, manualState } from '../src/labs/l01-sidecar-injection/l01-fixtures';
import { l02Solution } from '../src/labs/l02-ingress-gateway/l02-fixtures';
import { l03Solution } from '../src/labs/l03-subsets/l03-fixtures';
import { l04Solution } from '../src/labs/l04-header-routing/l04-fixtures';
import { workload } from '../src/testing';

interface Scenario {
  labId: string;
  objects: () => KubeObject[];
  routes: RouteTable;
  prepare?: (h: CheckHarness) => void;
}

const l01Final = (): KubeObject[] => [
  ...manualState({ injectedTemplate: true }),
  ...workload({ ns: 'intro', name: 'legacy-client', labels: { app: 'legacy-client' }, image: 'curlimages/curl:8.16.0', templateLabels: { 'sidecar.istio.io/inject': 'false' } }),
];

const scenarios: Scenario[] = [
  {
    labId: 'l01-sidecar-injection',
    objects: l01Final,
    routes: { anonymous: { v1: 1, v2: 1, v3: 1 } },
    prepare: (h) => {
      const ids = h.api.objects().filter((o) => o.kind === 'Pod' && o.metadata?.namespace === 'intro' && o.metadata.annotations?.['sidecar.istio.io/status']).map((o) => `${o.metadata?.name ?? ''}.intro`);
      h.api.setProxyHandler('istio-system/services/istiod:15014', () => ({ status: 200, body: JSON.stringify(ids.map((proxy) => ({ proxy, cluster_sent: '1', cluster_acked: '1', listener_sent: '1', listener_acked: '1', route_sent: '1', route_acked: '1', endpoint_sent: '1', endpoint_acked: '1' }))) }));
      h.upstreams['httpbin.intro:8000'] = (r) => httpbinHost({ 'x-forwarded-client-cert': 'By=spiffe://cluster.local/ns/intro/sa/httpbin' })(r) ?? { status: 404, body: '' };
    },
  },
  { labId: 'l02-ingress-gateway', objects: () => l02Solution(), routes: { anonymous: { v1: 1, v2: 1, v3: 1 } }, prepare: (h) => h.bookinfo.setVirtualHost('httpbin.example.com', httpbinHost()) },
  { labId: 'l03-subsets', objects: l03Solution, routes: { anonymous: { v1: 1 } } },
  { labId: 'l04-header-routing', objects: l04Solution, routes: { anonymous: { v1: 1 }, users: { jason: { v2: 1 } } } },
];

function stepsOf(labId: string): string[] {
  const lab = labCatalog().catalog?.labs.find((l) => l.id === labId);
  const declared = lab?.steps.map((s) => s.id);
  return declared ?? [...checkRegistry.values()].filter((c) => c.labId === labId).map((c) => c.stepId);
}

async function runLab(h: CheckHarness, labId: string, pollIntervalMs: number | undefined): Promise<{ ms: number; failed: string[] }> {
  const started = performance.now();
  const failed: string[] = [];
  for (const stepId of stepsOf(labId)) {
    const r = await h.run(labId, stepId, { limits: pollIntervalMs === undefined ? {} : { pollIntervalMs }, timeoutMs: 60_000 });
    if (r.outcome !== 'passed') failed.push(`${stepId}:${r.outcome}`);
  }
  return { ms: performance.now() - started, failed };
}

const h = await startCheckHarness();
let exit = 0;
try {
  for (const s of scenarios) {
    h.api.set(s.objects());
    h.bookinfo.setRoutes(s.routes);
    s.prepare?.(h);
    await runLab(h, s.labId, 0); // warm-up: module and connection setup
    const compute = await runLab(h, s.labId, 0);
    const real = await runLab(h, s.labId, undefined);
    const note = real.failed.length ? `  # not passing: ${real.failed.join(', ')}` : '';
    if (real.failed.length) exit = 1;
    process.stdout.write(`checks.${s.labId}: ${Math.round(real.ms)} ms${note}\n`);
    process.stdout.write(`checks.${s.labId}.compute: ${Math.round(compute.ms)} ms\n`);
  }
  h.api.set(introState({ labels: labelled, injection: 'native' }));
  const reads = 50;
  const started = performance.now();
  for (let i = 0; i < reads; i++) await h.run('l01-sidecar-injection', 'restart-workloads');
  process.stdout.write(`checks.state-check-latency: ${((performance.now() - started) / reads).toFixed(1)} ms\n`);
} finally {
  await h.close();
}
process.exitCode = exit;
