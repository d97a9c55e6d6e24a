import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCheckHarness, virtualService, type CheckHarness } from '../../testing';
import type { KubeObject } from '../../cluster-reader';
import { expectFailed, expectOnlyReads, expectPassed, failure } from '../../testing/check-expectations';
import {
  afterDr,
  afterVs,
  egressDr,
  egressGatewayObject,
  egressSvc,
  egressVs,
  gatewayRule,
  l12Setup,
  meshRule,
  withoutEgressGateway,
} from '../../testing/testdata/l12-fixtures';

describe('l12-egress-gateway/egress-virtualservice', () => {
  let h: CheckHarness;
  beforeAll(async () => {
    h = await startCheckHarness({ objects: afterDr() });
  });
  afterAll(() => h.close());
  const run = (objects: KubeObject[]) => {
    h.api.set(objects);
    return h.run('l12-egress-gateway', 'egress-virtualservice');
  };

  it('passes on the solution: mesh → egress gateway subset api, gateway → api.example.com:80', async () => {
    const r = await run(afterVs());
    expectPassed(r);
    expect(r.assertions.find((a) => a.code === 'L12.MESH_RULE')?.actual).toBe(`http[0] → ${egressSvc} subset api port 80`);
    expect(r.assertions.find((a) => a.code === 'L12.GATEWAY_RULE')?.actual).toBe('http[1] → api.example.com port 80');
    expectOnlyReads(h);
  });

  it('fails on the starting state (steps 1–2 done, no VirtualService)', async () => {
    const r = await run(afterDr());
    expectFailed(r);
    const f = failure(r, 'L12.VS_EXTERNAL');
    expect(f.actual).toBe('none found');
    expect(f.hint).toMatch(/gateways \[mesh, istio-egressgateway\]/);
  });

  it('fails when gateways lacks mesh (sidecars bypass the gateway)', async () => {
    const r = await run([...afterDr(), egressVs({ gateways: ['istio-egressgateway'] })]);
    expectFailed(r);
    const f = failure(r, 'L12.VS_MESH');
    expect(f.actual).toMatch(/gateways \["istio-egressgateway"\]/);
    expect(f.hint).toMatch(/Without `mesh` the sidecars ignore this VirtualService.*Add mesh to gateways/);
  });

  it('fails with IST0101 when the Gateway lives in istio-system and the VS names it without the namespace', async () => {
    const objects = [...l12Setup(), egressGatewayObject('istio-system'), egressDr(), egressVs()];
    const f = failure(await run(objects), 'IST0101');
    expect(f.actual).toBe('gateways ["mesh","istio-egressgateway"]');
    expect(f.hint).toMatch(/bare name is looked up in the VirtualService's own namespace \(default\).*the Gateway lives in istio-system, so write istio-system\/istio-egressgateway/);
  });

  it('fails with IST0101 when the VS lives in another namespace than the Gateway in default', async () => {
    const objects = [...afterDr(), egressVs({}, 'istio-system')];
    expect(failure(await run(objects), 'IST0101').hint).toMatch(/looked up in the VirtualService's own namespace \(istio-system\).*so write default\/istio-egressgateway/);
  });

  it('passes when the VS names a Gateway of another namespace with its prefix', async () => {
    const gw = 'istio-system/istio-egressgateway';
    const objects = [...l12Setup(), egressGatewayObject('istio-system'), egressDr(), egressVs({ gateways: ['mesh', gw], http: [meshRule(), gatewayRule(gw)] })];
    expectPassed(await run(objects));
  });

  it('fails with IST0101 when the mesh rule uses a subset the DR does not define', async () => {
    const objects = [...l12Setup(), egressGatewayObject(), egressDr({ subsets: undefined }), egressVs()];
    const f = failure(await run(objects), 'IST0101');
    expect(f.actual).toBe('defined subsets: none');
    expect(f.hint).toMatch(/Referenced host\+subset in destinationrule not found.*503 and flag NC.*Use the subset name of step 2/);
  });

  it('fails when the mesh rule goes straight to api.example.com', async () => {
    const objects = [...afterDr(), egressVs({ http: [meshRule({ host: 'api.example.com', port: { number: 80 } }), gatewayRule()] })];
    const f = failure(await run(objects), 'L12.MESH_RULE');
    expect(f.actual).toBe('http[0] → api.example.com port 80');
    expect(f.hint).toMatch(/must send traffic to the egress gateway Service/);
  });

  it('fails when no rule matches gateways [mesh] (rules without match.gateways)', async () => {
    const objects = [...afterDr(), egressVs({ http: [meshRule(undefined, null)] })];
    const r = await run(objects);
    const f = failure(r, 'L12.MESH_RULE');
    expect(f.actual).toBe('no rule matches gateways [mesh]');
    expect(f.hint).toMatch(/match: \[\{gateways: \[mesh\]\}\].*send requests to itself/);
    expect(failure(r, 'L12.GATEWAY_RULE').actual).toBe('no rule matches gateways [istio-egressgateway]');
  });

  it('fails when the gateway rule forwards to the wrong port', async () => {
    const objects = [...afterDr(), egressVs({ http: [meshRule(), gatewayRule('istio-egressgateway', { host: 'api.example.com', port: { number: 443 } })] })];
    expect(failure(await run(objects), 'L12.GATEWAY_RULE').hint).toMatch(/continue to api\.example\.com port 80/);
  });

  it('fails when gateways lists only mesh', async () => {
    const objects = [...afterDr(), egressVs({ gateways: ['mesh'] })];
    expect(failure(await run(objects), 'L12.VS_GATEWAY').hint).toMatch(/List the egress Gateway in `gateways` next to mesh/);
  });

  it('fails with the step-1 hint when there is no egress Gateway', async () => {
    const objects = [...l12Setup(), egressDr(), egressVs()];
    expect(failure(await run(objects), 'L12.VS_GATEWAY').hint).toMatch(/No Gateway for api\.example\.com selects the egress gateway yet \(step 1\)/);
  });

  it('fails with the install hint when the egress gateway pod is absent', async () => {
    const objects = withoutEgressGateway(afterVs());
    expect(failure(await run(objects), 'L12.VS_GATEWAY').hint).toMatch(/No egress gateway pod runs in istio-system/);
  });

  it('fails with IST0109 when lab 11\'s timeout VirtualService is still there under another name', async () => {
    const l11 = virtualService('default', 'api-timeout', { hosts: ['api.example.com'], http: [{ route: [{ destination: { host: 'api.example.com' } }], timeout: '3s' }] });
    expect(failure(await run([...afterVs(), l11]), 'IST0109').hint).toMatch(/Keep one/);
  });
});
