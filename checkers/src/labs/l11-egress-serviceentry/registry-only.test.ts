import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { baselineCluster, configMap, serviceEntry, sidecar, startCheckHarness, withChanges, type CheckHarness } from '../../testing';
import { expectFailed, expectOnlyReads, expectPassed, failure } from '../../testing/check-expectations';
import { externalApi } from '../../testing/testdata/lab-fixtures';

const start = [...baselineCluster(), ...externalApi()];
const registryOnly = { outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } };
const solution = [...start, sidecar('default', 'default', registryOnly)];
const meshConfigText = (start.find((o) => o.kind === 'ConfigMap' && o.metadata?.name === 'istio')?.data as Record<string, string>)['mesh'] ?? '';
// The istioctl alternative of step 2: meshConfig.outboundTrafficPolicy in the istio ConfigMap.
const meshRegistryOnly = withChanges(start, [configMap('istio-system', 'istio', { mesh: `${meshConfigText}outboundTrafficPolicy:\n  mode: REGISTRY_ONLY\n` })]);
const seApi = serviceEntry('default', 'api-example', { hosts: ['api.example.com'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], resolution: 'DNS', location: 'MESH_EXTERNAL' });

describe('l11-egress-serviceentry/registry-only (policy and live call)', () => {
  let h: CheckHarness;
  let calls = 0;
  // What default/curl's sidecar answers for api.example.com: 502 from its block_all route once the policy is on.
  let status = 502;
  beforeAll(async () => {
    h = await startCheckHarness({ objects: start });
    h.upstreams['api.example.com:80'] = () => {
      calls++;
      return { status, body: '' };
    };
  });
  afterAll(() => h.close());
  beforeEach(() => {
    status = 502;
  });
  const run = (objects: typeof start) => {
    h.api.set(objects);
    return h.run('l11-egress-serviceentry', 'registry-only');
  };

  it('passes on the solution: Sidecar default/default REGISTRY_ONLY and the call gets 502', async () => {
    const before = calls;
    const r = await run(solution);
    expectPassed(r);
    expect(r.assertions.find((a) => a.code === 'L11.EXTERNAL_BLOCKED')?.actual).toMatch(/^HTTP 502 from default\/curl-/);
    expect(calls).toBeGreaterThan(before);
    expectOnlyReads(h);
  });

  it('fails on the starting state (no Sidecar) without calling out', async () => {
    const before = calls;
    status = 200;
    const r = await run(start);
    expectFailed(r);
    const f = failure(r, 'L11.REGISTRY_ONLY');
    expect(f.actual).toBe('no Sidecar in namespace default');
    expect(f.hint).toMatch(/Create `Sidecar default\/default`.*REGISTRY_ONLY/);
    expect(calls).toBe(before);
  });

  it('passes on the meshConfig alternative, noting that it is mesh-wide', async () => {
    const r = await run(meshRegistryOnly);
    expectPassed(r);
    expect(r.assertions.find((a) => a.code === 'L11.REGISTRY_ONLY')?.hint).toMatch(/Mesh-wide/);
  });

  it('passes on a selector-less Sidecar in the root namespace', async () => {
    const r = await run([...start, sidecar('istio-system', 'default', registryOnly)]);
    expectPassed(r);
    expect(r.assertions.find((a) => a.code === 'L11.REGISTRY_ONLY')?.actual).toMatch(/Sidecar istio-system\/default \(mesh-wide\)/);
  });

  it('passes when the namespace Sidecar sets no mode and meshConfig is REGISTRY_ONLY (the Sidecar inherits it)', async () => {
    const r = await run([...meshRegistryOnly, sidecar('default', 'default', { egress: [{ hosts: ['./*', 'istio-system/*'] }] })]);
    expectPassed(r);
    expect(r.assertions.find((a) => a.code === 'L11.REGISTRY_ONLY')?.actual).toMatch(/sets no mode, so meshConfig/);
  });

  it('fails when the namespace Sidecar says ALLOW_ANY, even with a REGISTRY_ONLY root Sidecar (the namespace one wins)', async () => {
    status = 200;
    const r = await run([...start, sidecar('istio-system', 'default', registryOnly), sidecar('default', 'default', { outboundTrafficPolicy: { mode: 'ALLOW_ANY' } })]);
    expect(failure(r, 'L11.REGISTRY_ONLY').actual).toBe('Sidecar default/default mode ALLOW_ANY');
  });

  it('fails on a Sidecar with a workloadSelector, naming it', async () => {
    const r = await run([...start, sidecar('default', 'curl-only', { workloadSelector: { labels: { app: 'curl' } }, ...registryOnly })]);
    const f = failure(r, 'L11.REGISTRY_ONLY');
    expect(f.actual).toBe('Sidecar default/curl-only has a workloadSelector');
    expect(f.hint).toMatch(/only restricts the pods it selects; drop the selector/);
  });

  it('fails with IST0111 on two selector-less Sidecars', async () => {
    const r = await run([...solution, sidecar('default', 'restrict', registryOnly)]);
    const f = failure(r, 'IST0111');
    expect(f.actual).toMatch(/Sidecar default\/default, Sidecar default\/restrict/);
    expect(f.hint).toMatch(/Keep one/);
    expect(f.next).toBe('istioctl analyze -n default');
  });

  it('fails with the step-3 hint when a ServiceEntry already lets the call through', async () => {
    status = 200;
    const r = await run([...solution, seApi]);
    const f = failure(r, 'L11.EXTERNAL_BLOCKED');
    expect(f.actual).toMatch(/HTTP 200/);
    expect(f.hint).toMatch(/ServiceEntry already registers api\.example\.com.*step 3/);
    expect(f.next).toBe('kubectl get serviceentry -A');
  });

  it('fails with the proxy-sync hint when the call still passes and nothing registers the host', async () => {
    status = 200;
    const r = await run(solution);
    const f = failure(r, 'L11.EXTERNAL_BLOCKED');
    expect(f.hint).toMatch(/may not have the new config yet/);
    expect(f.next).toBe('istioctl proxy-status');
  });
});
