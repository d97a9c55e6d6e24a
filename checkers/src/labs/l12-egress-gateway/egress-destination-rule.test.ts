import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { destinationRule, startCheckHarness, type CheckHarness } from '../../testing';
import type { KubeObject } from '../../cluster-reader';
import { expectFailed, expectOnlyReads, expectPassed, failure } from '../../testing/check-expectations';
import { afterDr, afterGateway, egressDr, egressSvc, egressVs, meshRule, gatewayRule } from '../../testing/testdata/l12-fixtures';

describe('l12-egress-gateway/egress-destination-rule', () => {
  let h: CheckHarness;
  beforeAll(async () => {
    h = await startCheckHarness({ objects: afterGateway() });
  });
  afterAll(() => h.close());
  const run = (objects: KubeObject[]) => {
    h.api.set(objects);
    return h.run('l12-egress-gateway', 'egress-destination-rule');
  };

  it('passes on the solution: DR for the egress gateway Service with subset api', async () => {
    const r = await run(afterDr());
    expectPassed(r);
    expect(r.assertions.find((a) => a.code === 'L12.DR_SUBSET')?.actual).toBe('api');
    expectOnlyReads(h);
  });

  it('fails on the starting state (step 1 done, no DR) with the lesson hint', async () => {
    const r = await run(afterGateway());
    expectFailed(r);
    const f = failure(r, 'L12.DR_EGRESS');
    expect(f.actual).toBe('none found');
    expect(f.hint).toMatch(new RegExp(`host ${egressSvc.replace(/\./g, '\\.')} and a subset named api`));
  });

  it('fails when the DR has no subset', async () => {
    const r = await run([...afterGateway(), egressDr({ subsets: undefined })]);
    const f = failure(r, 'L12.DR_SUBSET');
    expect(f.actual).toBe('no subsets');
    expect(f.hint).toMatch(/Add `subsets: \[\{name: api\}\]`/);
  });

  it('fails with IST0101 when the VirtualService routes to a subset the DR does not define', async () => {
    const r = await run([...afterGateway(), egressDr({ subsets: [{ name: 'egress' }] }), egressVs()]);
    const f = failure(r, 'IST0101');
    expect(f.expected).toBe('subset api in a DestinationRule for istio-egressgateway.istio-system.svc.cluster.local');
    expect(f.hint).toMatch(/sends mesh traffic to subset api.*503, flag NC/);
    expect(f.next).toBe('istioctl analyze -n default');
  });

  it('fails with IST0173 when subset api selects no egress gateway pod (as L03 does for Bookinfo)', async () => {
    const r = await run([
      ...afterGateway(),
      egressDr({ subsets: [{ name: 'api', labels: { istio: 'egress' } }] }),
      egressVs(),
    ]);
    const f = failure(r, 'IST0173');
    expect(f.hint).toMatch(/selects no Ready pods/);
    expect(f.expected).toMatch(/istio=egress\b/);
  });

  it('checks subsets only on routes to the egress gateway (the gateway rule has none)', async () => {
    const vs = egressVs({
      http: [
        meshRule(),
        gatewayRule('istio-egressgateway', { host: 'api.example.com', subset: 'v1', port: { number: 80 } }),
      ],
    });
    expectPassed(await run([...afterDr(), vs]));
  });

  it('fails with the namespace hint on a short host written in namespace default', async () => {
    const r = await run([
      ...afterGateway(),
      destinationRule('default', 'egressgateway-for-api', { host: 'istio-egressgateway', subsets: [{ name: 'api' }] }),
    ]);
    const f = failure(r, 'MESH.DR_RESOLVES_ELSEWHERE');
    expect(f.actual).toMatch(/resolves to istio-egressgateway\.default\.svc\.cluster\.local/);
    expect(f.hint).toMatch(/Short host names resolve relative to the DestinationRule's namespace/);
  });

  it('passes on a DR under another name in istio-system, with a note', async () => {
    const r = await run([...afterGateway(), egressDr({}, 'istio-system', 'egress-api')]);
    expectPassed(r);
    expect(r.assertions.find((a) => a.code === 'MESH.DR_NAME')?.status).toBe('warn');
  });

  it('fails on two DRs for the egress gateway Service', async () => {
    const r = await run([...afterDr(), egressDr({}, 'istio-system', 'egress-api')]);
    expect(failure(r, 'MESH.DR_DUPLICATE').hint).toMatch(/Keep one/);
  });
});
