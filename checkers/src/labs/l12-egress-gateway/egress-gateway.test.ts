import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baselineCluster, gateway, startCheckHarness, type CheckHarness } from '../../testing';
import { expectFailed, expectOnlyReads, expectPassed, failure } from '../../testing/check-expectations';
import { externalApi } from '../../testing/testdata/lab-fixtures';

const start = [...baselineCluster(), ...externalApi()];
const gw = (selector: Record<string, string>) =>
  gateway('default', 'istio-egressgateway', { selector, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['api.example.com'] }] });

describe('l12-egress-gateway/egress-gateway', () => {
  let h: CheckHarness;
  beforeAll(async () => {
    h = await startCheckHarness({ objects: start });
  });
  afterAll(() => h.close());
  const run = (extra: ReturnType<typeof gateway>[]) => {
    h.api.set([...start, ...extra]);
    return h.run('l12-egress-gateway', 'egress-gateway');
  };

  it('passes on the solution', async () => {
    expectPassed(await run([gw({ istio: 'egressgateway' })]));
    expectOnlyReads(h);
  });

  it('fails on the starting state', async () => {
    const r = await run([]);
    expectFailed(r);
    failure(r, 'L12.GATEWAY');
  });

  it('fails when the selector picks the ingress gateway', async () => {
    const r = await run([gw({ istio: 'ingressgateway' })]);
    expect(failure(r, 'L12.GATEWAY_SELECTOR').hint).toMatch(/ingress gateway/);
  });

  it('fails when no egress gateway pod exists', async () => {
    const withoutEgress = start.filter((o) => !(o.metadata?.name ?? '').startsWith('istio-egressgateway'));
    h.api.set([...withoutEgress, gw({ istio: 'egressgateway' })]);
    const r = await h.run('l12-egress-gateway', 'egress-gateway');
    expect(failure(r, 'L12.GATEWAY_SELECTOR').hint).toMatch(/egress gateway installed/);
  });
});
