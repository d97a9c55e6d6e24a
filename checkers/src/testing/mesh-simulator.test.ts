import path from 'node:path';
import { loadLabs } from '@istio-workshop/labs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../cluster-reader';
import { l02Solution, l02Start, httpbinVs } from './testdata/l02-fixtures';
import { allToV1, l03Start } from './testdata/l03-fixtures';
import { catchAllFirst, l04Solution, noV2Subset, prefixMatch } from './testdata/l04-fixtures';
import { startCheckHarness, type CheckHarness } from './check-harness';
import { baselineCluster } from './testdata/baseline-cluster';
import { configMap } from './testdata/kube-builders';
import { evaluatePromQl, MeshModel, newMeshMemory, simulateMesh, type MeshMemory, type SimAnswer } from './mesh-simulator';
import { SolutionRunner } from './solution-runner';

describe('reviews routing derived from state', () => {
  /** The reviews versions productpage reaches for `user` over 30 page loads, or the status that failed. */
  const reached = (objects: KubeObject[], user?: string) => {
    const model = new MeshModel(objects, newMeshMemory());
    const seen = new Set<string>();
    for (let i = 0; i < 30; i++) {
      const page = model.productpageVia(undefined, user ? { 'end-user': user } : {});
      seen.add(page.meta?.reviewsOk ? (page.meta.version ?? '?') : `HTTP ${page.status}`);
    }
    return [...seen].sort();
  };
  it('follows the end-user rule, the default route and relative weights', () => {
    expect(reached(l04Solution(), 'jason')).toEqual(['v2']);
    expect(reached(l04Solution())).toEqual(['v1']);
    expect(reached(prefixMatch(), 'jane')).toEqual(['v2']);
    expect(reached(catchAllFirst(), 'jason')).toEqual(['v1']);
    expect(reached(l03Start())).toEqual(['v1', 'v2', 'v3']);
  });
  it('answers 503 for a subset no DestinationRule defines (VS before DR, missing v2)', () => {
    expect(reached([...l03Start(), ...allToV1()])).toEqual(['HTTP 503']);
    expect(reached(noV2Subset(), 'jason')).toEqual(['HTTP 503']);
    expect(reached(noV2Subset())).toEqual(['v1']);
  });
});

describe('probe checks against simulated state', () => {
  let h: CheckHarness;
  beforeAll(async () => {
    h = await startCheckHarness({ requireHints: true });
  });
  afterAll(async () => {
    await h.close();
  });
  const runOn = async (objects: ReturnType<typeof l04Solution>, lab: string, step: string) => {
    h.api.set(objects);
    simulateMesh(h, objects);
    return h.run(lab, step);
  };
  it('L04 verify-users passes on the solution and fails when the catch-all comes first', async () => {
    expect((await runOn(l04Solution(), 'l04-header-routing', 'verify-users')).outcome).toBe('passed');
    const r = await runOn(catchAllFirst(), 'l04-header-routing', 'verify-users');
    expect(r.assertions.filter((a) => a.status === 'fail').map((a) => a.code)).toEqual(['L04.JASON_V2']);
  });
  it('L03 observe-v1 sees 503s when the VS came before its DR', async () => {
    const r = await runOn([...l03Start(), ...allToV1()], 'l03-subsets', 'observe-v1');
    expect(r.assertions[0]?.actual).toContain('HTTP 503');
  });
  const failing = (r: Awaited<ReturnType<typeof runOn>>) => r.assertions.filter((a) => a.status === 'fail').map((a) => a.code);
  it('L09 observe-mirror fails without the mirror, L08 trip-breaker without the DestinationRule', async () => {
    expect(failing(await runOn(labState('l09-mirroring', 1), 'l09-mirroring', 'observe-mirror'))).toEqual(['L09.V2_MIRRORED', 'L09.PROM_V2_REQUESTS']);
    expect(failing(await runOn(labState('l08-circuit-breaking', 0), 'l08-circuit-breaking', 'trip-breaker'))).toEqual(['L08.BREAKER_TRIPS', 'L08.PROM_OVERFLOW']);
  });
  it('L11 call-external fails while REGISTRY_ONLY is on; L12 verify-egress fails when the VS skips the mesh', async () => {
    expect(failing(await runOn(labState('l11-egress-serviceentry', 2), 'l11-egress-serviceentry', 'call-external'))).toEqual(['L11.EXTERNAL_ALLOWED']);
    const objects = labState('l12-egress-gateway', 3);
    vsOf(objects, 'default', 'direct-api-through-egress-gateway').spec['gateways'] = ['api-egress-gateway'];
    const gatewayPod = objects.find((o) => o.kind === 'Pod' && o.metadata?.labels?.['istio'] === 'egressgateway') as KubeObject & { spec: { containers: Array<{ name: string }> } };
    gatewayPod.spec.containers[0]!.name = 'istio-proxy'; // as in a real gateway pod (the baseline fixture names it after the app)
    expect(failing(await runOn(objects, 'l12-egress-gateway', 'verify-egress'))).toEqual(['L12.GATEWAY_LOG', 'L12.PROM_EGRESS']);
  });
  it('L02 call-through-gateway passes on the solution and fails when the VS is in the wrong namespace', async () => {
    expect((await runOn(l02Solution(), 'l02-ingress-gateway', 'call-through-gateway')).outcome).toBe('passed');
    const wrongNs = [...l02Start(), ...l02Solution().filter((o) => o.kind === 'Gateway' && o.metadata?.name === 'httpbin-gateway'), httpbinVs({ ns: 'default' })];
    const r = await runOn(wrongNs, 'l02-ingress-gateway', 'call-through-gateway');
    expect(r.assertions.find((a) => a.code === 'L02.CALL_HOST')?.actual).toBe('HTTP 404');
  });
});

/** State after replaying a lab's setup and the solutions of its first `steps` steps (plus CoreDNS, which kind has). */
function labState(labId: string, steps: number): KubeObject[] {
  const lab = loadLabs().labs.find((l) => l.id === labId);
  if (!lab) throw new Error(`no lab ${labId}`);
  const runner = new SolutionRunner([...baselineCluster(), configMap('kube-system', 'coredns', { Corefile: '.:53 {\n    errors\n    ready\n    loop\n}\n' })]);
  if (lab.setup) runner.runScript(path.join(lab.dir, lab.setup));
  for (const step of lab.steps.slice(0, steps)) if (step.solution) runner.runScript(path.join(lab.dir, step.solution));
  return runner.state();
}

type Spec = Record<string, unknown>;
const vsOf = (objects: KubeObject[], ns: string, name: string) => objects.find((o) => o.kind === 'VirtualService' && o.metadata?.namespace === ns && o.metadata.name === name) as KubeObject & { spec: Spec };
const drOf = (objects: KubeObject[], ns: string, name: string) => objects.find((o) => o.kind === 'DestinationRule' && o.metadata?.namespace === ns && o.metadata.name === name) as KubeObject & { spec: Spec };

function podOf(model: MeshModel, ns: string, app: string) {
  const p = model.pods.find((x) => x.metadata.namespace === ns && x.metadata.labels?.['app'] === app);
  if (!p) throw new Error(`no ${app} pod in ${ns}`);
  return p;
}

function call(model: MeshModel, src: ReturnType<typeof podOf>, url: string, headers: Record<string, string> = {}): SimAnswer {
  const u = new URL(url);
  const a = model.outbound(src, { method: 'GET', authority: u.hostname, port: Number(u.port || 80), path: u.pathname, headers: { ...headers } });
  if (!('status' in a)) throw new Error(`no HTTP answer for ${url}`);
  return a;
}

const promSum = (memory: MeshMemory, q: string) => evaluatePromQl(memory, q)?.[0]?.value ?? 0;

describe('mesh model rules', () => {
  it('L06: a fault on the jason rule reaches only jason; on the catch-all it reaches everyone', () => {
    const objects = labState('l06-fault-injection', 3); // inject-abort applied
    const memory = newMeshMemory();
    const model = new MeshModel(objects, memory);
    expect(model.productpageVia(undefined, { 'end-user': 'jason' }).meta).toMatchObject({ reviewsOk: true, version: 'v2', ratingsOk: false });
    expect(model.productpageVia(undefined, {}).meta).toMatchObject({ reviewsOk: true, version: 'v1' });
    expect(promSum(memory, 'sum(istio_requests_total{reporter="source",source_workload="reviews-v2",destination_service_name="ratings",response_code="500",response_flags="FI"})')).toBe(1);
    // The mistake: the abort on the rule without a match, so anonymous users on v2 would also lose ratings.
    const ratings = vsOf(objects, 'default', 'ratings');
    const http = ratings.spec['http'] as Spec[];
    ratings.spec['http'] = [{ ...http[1], fault: http[0]?.['fault'] }];
    (vsOf(objects, 'default', 'reviews').spec['http'] as Spec[]).splice(1);
    (vsOf(objects, 'default', 'reviews').spec['http'] as Spec[])[0]!['match'] = undefined;
    expect(new MeshModel(objects, newMeshMemory()).productpageVia(undefined, {}).meta).toMatchObject({ version: 'v2', ratingsOk: false });
  });

  it('L06: a 7 s ratings delay makes productpage give up after 3 s twice (6 s) and flags DI', () => {
    const memory = newMeshMemory();
    const model = new MeshModel(labState('l06-fault-injection', 1), memory);
    const page = model.productpageVia(undefined, { 'end-user': 'jason' });
    expect(page.ms).toBe(6_000);
    expect(page.meta?.reviewsOk).toBe(false);
    expect(model.productpageVia(undefined, {}).ms).toBe(0);
    expect(promSum(memory, 'sum(istio_requests_total{reporter="source",source_workload="reviews-v2",destination_service_name="ratings",response_flags="DI"})')).toBe(2);
    expect(promSum(memory, 'sum(istio_requests_total{reporter="source",source_workload="productpage-v1",response_flags="DC"})')).toBe(2);
  });

  it('L06: a fault without percentage injects into no request; an abort without a status is dropped (istiod TranslateFault)', () => {
    const delayed = labState('l06-fault-injection', 1);
    const delay = ((vsOf(delayed, 'default', 'ratings').spec['http'] as Spec[])[0]!['fault'] as Spec)['delay'] as Spec;
    delete delay['percentage'];
    const memory = newMeshMemory();
    const page = new MeshModel(delayed, memory).productpageVia(undefined, { 'end-user': 'jason' });
    expect(page).toMatchObject({ ms: 0, meta: { reviewsOk: true, ratingsOk: true } });
    expect(promSum(memory, 'sum(istio_requests_total{response_flags="DI"})')).toBe(0);

    const aborted = labState('l06-fault-injection', 3);
    const abort = ((vsOf(aborted, 'default', 'ratings').spec['http'] as Spec[])[0]!['fault'] as Spec)['abort'] as Spec;
    delete abort['percentage'];
    expect(new MeshModel(aborted, newMeshMemory()).productpageVia(undefined, { 'end-user': 'jason' }).meta).toMatchObject({ ratingsOk: true });
    abort['percentage'] = { value: 100 };
    delete abort['httpStatus'];
    expect(new MeshModel(aborted, newMeshMemory()).productpageVia(undefined, { 'end-user': 'jason' }).meta).toMatchObject({ ratingsOk: true });
  });

  it("L07: Istio 1.30's default retries leave an app's 503 alone; retries without attempts retry nothing", () => {
    const objects = labState('l07-timeouts-retries', 4);
    const memory = newMeshMemory();
    const model = new MeshModel(objects, memory);
    expect(call(model, podOf(model, 'intro', 'curl'), 'http://httpbin.intro:8000/status/503').status).toBe(503);
    expect(promSum(memory, 'sum(istio_requests_total{reporter="destination",destination_service_name="httpbin",response_code="503"})')).toBe(1);
    const retried = labState('l07-timeouts-retries', 5);
    delete ((vsOf(retried, 'intro', 'httpbin').spec['http'] as Spec[])[0]!['retries'] as Spec)['attempts'];
    const m2 = newMeshMemory();
    const model2 = new MeshModel(retried, m2);
    for (let i = 0; i < 40; i++) call(model2, podOf(model2, 'intro', 'curl'), 'http://httpbin.intro:8000/status/500');
    expect(promSum(m2, 'sum(istio_requests_total{reporter="destination",destination_service_name="httpbin",response_code="500"})')).toBe(40);
  });

  it('L07: a 0.5 s reviews timeout cuts the 2 s ratings delay (504 UT, ~1 s page); on ratings it would not', () => {
    const memory = newMeshMemory();
    const objects = labState('l07-timeouts-retries', 2);
    const page = new MeshModel(objects, memory).productpageVia(undefined, {});
    expect(page.ms).toBe(1_000);
    expect(page.meta?.reviewsOk).toBe(false);
    expect(promSum(memory, 'sum(istio_requests_total{reporter="source",source_workload="productpage-v1",destination_service_name="reviews",response_code="504",response_flags="UT"})')).toBe(2);
    const reviews = vsOf(objects, 'default', 'reviews');
    delete (reviews.spec['http'] as Spec[])[0]!['timeout'];
    const slow = new MeshModel(objects, newMeshMemory()).productpageVia(undefined, {});
    expect(slow).toMatchObject({ ms: 2_000, meta: { reviewsOk: true, ratingsOk: true } });
  });

  it('L07: /unstable fails about half the time; retries on 5xx hide it, retries on connect-failure do not', () => {
    const share = (objects: KubeObject[]) => {
      const memory = newMeshMemory();
      const model = new MeshModel(objects, memory);
      const curl = podOf(model, 'intro', 'curl');
      let ok = 0;
      for (let i = 0; i < 200; i++) if (call(model, curl, 'http://httpbin.intro:8000/unstable').status === 200) ok += 1;
      return { ok: ok / 200, memory };
    };
    const plain = share(labState('l07-timeouts-retries', 4));
    expect(plain.ok).toBeGreaterThan(0.35);
    expect(plain.ok).toBeLessThan(0.65);
    const retried = labState('l07-timeouts-retries', 5);
    const r = share(retried);
    expect(r.ok).toBeGreaterThan(0.85);
    const dest = promSum(r.memory, 'sum(istio_requests_total{reporter="destination",destination_service_name="httpbin",response_code="500"})');
    const src = promSum(r.memory, 'sum(istio_requests_total{reporter="source",destination_service_name="httpbin",response_code="500"})');
    expect(dest).toBeGreaterThan(src);
    ((vsOf(retried, 'intro', 'httpbin').spec['http'] as Spec[])[0]!['retries'] as Spec)['retryOn'] = 'connect-failure';
    expect(share(retried).ok).toBeLessThan(0.65);
  });

  it('L08: fortio overflows the pool only beyond maxConnections + http1MaxPendingRequests', () => {
    const memory = newMeshMemory();
    const model = new MeshModel(labState('l08-circuit-breaking', 1), memory);
    const fortio = podOf(model, 'intro', 'fortio');
    const load = (c: number) => model.fortio(fortio, ['fortio', 'load', '-c', String(c), '-qps', '0', '-n', '30', 'http://httpbin:8000/get']).stdout;
    expect(load(1)).toContain('Code 200 : 30 (100.0 %)');
    expect(load(2)).toContain('Code 200 : 30 (100.0 %)');
    expect(load(3)).toMatch(/Code 200 : 20 [\s\S]*Code 503 : 10/);
    expect(promSum(memory, 'sum(istio_requests_total{reporter="source",source_workload="fortio-deploy",response_code="503",response_flags="UO"})')).toBe(10);
    const noDr = new MeshModel(labState('l08-circuit-breaking', 0), newMeshMemory());
    expect(noDr.fortio(podOf(noDr, 'intro', 'fortio'), ['fortio', 'load', '-c', '3', '-n', '30', 'http://httpbin:8000/get']).stdout).toContain('Code 200 : 30');
  });

  it('L08: one 500 ejects the only endpoint for that client only, unless maxEjectionPercent forbids it', () => {
    const objects = labState('l08-circuit-breaking', 1);
    const model = new MeshModel(objects, newMeshMemory());
    const curl = podOf(model, 'intro', 'curl');
    expect(call(model, curl, 'http://httpbin:8000/status/500').status).toBe(500);
    expect(call(model, curl, 'http://httpbin:8000/get')).toMatchObject({ status: 503, body: 'no healthy upstream', flags: 'UH' });
    expect(call(model, podOf(model, 'intro', 'fortio'), 'http://httpbin:8000/get').status).toBe(200);
    const od = (drOf(objects, 'intro', 'httpbin').spec['trafficPolicy'] as Spec)['outlierDetection'] as Spec;
    delete od['maxEjectionPercent'];
    const strict = new MeshModel(objects, newMeshMemory());
    const c2 = podOf(strict, 'intro', 'curl');
    call(strict, c2, 'http://httpbin:8000/status/500');
    expect(call(strict, c2, 'http://httpbin:8000/get').status).toBe(200);
  });

  it('L09: the mirror sends copies to v2 (app log, destination metric) while v1 answers', () => {
    const memory = newMeshMemory();
    const model = new MeshModel(labState('l09-mirroring', 2), memory);
    const curl = podOf(model, 'intro', 'curl');
    for (let i = 0; i < 5; i++) expect(call(model, curl, 'http://httpbin.intro:8000/anything/mark').status).toBe(200);
    const logs = (v: string) => {
      const p = model.pods.find((x) => x.metadata.labels?.['app'] === 'httpbin' && x.metadata.labels['version'] === v)!;
      return model.logsOf('intro', p.metadata.name, 'httpbin').filter((l) => l.includes('/anything/mark')).length;
    };
    expect([logs('v1'), logs('v2')]).toEqual([5, 5]);
    expect(promSum(memory, 'sum(istio_requests_total{reporter="destination",destination_workload="httpbin-v2",destination_workload_namespace="intro"})')).toBe(5);
    const plain = newMeshMemory();
    const routeOnly = new MeshModel(labState('l09-mirroring', 1), plain);
    call(routeOnly, podOf(routeOnly, 'intro', 'curl'), 'http://httpbin.intro:8000/anything/mark');
    expect(promSum(plain, 'sum(istio_requests_total{reporter="destination",destination_workload="httpbin-v2"})')).toBe(0);
    expect(promSum(plain, 'sum(istio_requests_total{reporter="destination",destination_workload="httpbin-v1"})')).toBe(1);
  });

  it('L10: istiod reports the DR algorithm (LEAST_REQUEST by default, ROUND_ROBIN omitted); a hash pins one client', () => {
    const lb = (objects: KubeObject[]) =>
      JSON.stringify(new MeshModel(objects, newMeshMemory()).configDump('default')).match(/"name":"outbound\|9080\|\|reviews\.default\.svc\.cluster\.local"(,"type":"EDS")?(,"lbPolicy":"(\w+)")?/)?.[3];
    expect(lb(labState('l10-load-balancing', 1))).toBe('LEAST_REQUEST');
    const random = labState('l10-load-balancing', 2);
    expect(lb(random)).toBe('RANDOM');
    ((drOf(random, 'default', 'reviews').spec['trafficPolicy'] as Spec)['loadBalancer'] as Spec)['simple'] = 'ROUND_ROBIN';
    expect(lb(random)).toBeUndefined();
    const sticky = new MeshModel(labState('l10-load-balancing', 3), newMeshMemory());
    const versions = (ua: string) => new Set(Array.from({ length: 10 }, () => sticky.productpageVia(undefined, { 'user-agent': ua }).meta?.version));
    expect(versions('agent-1').size).toBe(1);
    const spread = new Set(Array.from({ length: 10 }, (_, i) => [...versions(`agent-${i}`)][0]));
    expect(spread.size).toBeGreaterThan(1);
    const unsticky = new MeshModel(labState('l10-load-balancing', 2), newMeshMemory());
    expect(new Set(Array.from({ length: 20 }, () => unsticky.productpageVia(undefined, { 'user-agent': 'agent-1' }).meta?.version)).size).toBeGreaterThan(1);
  });

  it('applies exportTo and namespace precedence the way the checks read them (rules/)', () => {
    // A VirtualService exported only to another namespace does not retry for curl in intro.
    const retried = labState('l07-timeouts-retries', 5);
    vsOf(retried, 'intro', 'httpbin').spec['exportTo'] = ['default'];
    const memory = newMeshMemory();
    const model = new MeshModel(retried, memory);
    for (let i = 0; i < 20; i++) call(model, podOf(model, 'intro', 'curl'), 'http://httpbin.intro:8000/status/500');
    expect(promSum(memory, 'sum(istio_requests_total{reporter="destination",destination_service_name="httpbin",response_code="500"})')).toBe(20);
    // A DestinationRule in a namespace that is neither the client's, the Service's nor the root does not apply.
    const random = labState('l10-load-balancing', 2);
    drOf(random, 'default', 'reviews').metadata!.namespace = 'elsewhere';
    const dump = JSON.stringify(new MeshModel(random, newMeshMemory()).configDump('default'));
    expect(dump).toMatch(/"name":"outbound\|9080\|\|reviews\.default\.svc\.cluster\.local","type":"EDS","lbPolicy":"LEAST_REQUEST"/);
  });

  it('L11: ALLOW_ANY passes through, REGISTRY_ONLY answers 502 until a ServiceEntry registers the host', () => {
    const at = (steps: number) => {
      const memory = newMeshMemory();
      const model = new MeshModel(labState('l11-egress-serviceentry', steps), memory);
      const curl = podOf(model, 'default', 'curl');
      const a = call(model, curl, 'http://api.example.com/get');
      return { a, log: model.logsOf('default', curl.metadata.name, 'istio-proxy').join('\n'), memory };
    };
    const open = at(1);
    expect(open.a.status).toBe(200);
    expect(open.log).toMatch(/"api\.example\.com".*PassthroughCluster/);
    const blocked = at(2);
    expect(blocked.a.status).toBe(502);
    expect(blocked.log).toContain('BlackHoleCluster');
    const registered = at(3);
    expect(registered.a.status).toBe(200);
    expect(promSum(registered.memory, 'sum(istio_requests_total{reporter="source",source_workload="curl",destination_service_name="api.example.com"})')).toBe(1);
    const timed = new MeshModel(labState('l11-egress-serviceentry', 4), newMeshMemory());
    expect(call(timed, podOf(timed, 'default', 'curl'), 'http://api.example.com/delay/5')).toMatchObject({ status: 504, ms: 3_000, flags: 'UT' });
  });

  it('L12: only a VS bound to mesh and the gateway sends the call through the egress gateway', () => {
    const memory = newMeshMemory();
    const objects = labState('l12-egress-gateway', 3);
    const model = new MeshModel(objects, memory);
    expect(call(model, podOf(model, 'default', 'curl'), 'http://api.example.com/get').status).toBe(200);
    expect(promSum(memory, 'sum(istio_requests_total{source_workload="istio-egressgateway",destination_service_name="api.example.com"})')).toBe(1);
    const gw = model.pods.find((p) => p.metadata.labels?.['istio'] === 'egressgateway')!;
    expect(model.logsOf('istio-system', gw.metadata.name, gw.spec!.containers![0]!.name).join('\n')).toContain('"api.example.com"');
    vsOf(objects, 'default', 'direct-api-through-egress-gateway').spec['gateways'] = ['api-egress-gateway'];
    const direct = newMeshMemory();
    const m2 = new MeshModel(objects, direct);
    expect(call(m2, podOf(m2, 'default', 'curl'), 'http://api.example.com/get').status).toBe(200);
    expect(promSum(direct, 'sum(istio_requests_total{source_workload="istio-egressgateway"})')).toBe(0);
  });

  it('answers the PromQL shapes checks use and nothing else', () => {
    const memory = newMeshMemory();
    const model = new MeshModel(labState('l07-timeouts-retries', 4), memory);
    call(model, podOf(model, 'intro', 'curl'), 'http://httpbin:8000/get');
    expect(evaluatePromQl(memory, 'sum(istio_requests_total{reporter=~"source|destination",response_code!="500"})')).toEqual([{ metric: {}, value: 2 }]);
    expect(evaluatePromQl(memory, 'istio_requests_total{reporter="source"}')).toHaveLength(1);
    expect(evaluatePromQl(memory, 'sum(istio_requests_total{response_code="418"})')).toEqual([]);
    expect(evaluatePromQl(memory, 'rate(istio_requests_total[1m])')).toBeUndefined();
  });
});
