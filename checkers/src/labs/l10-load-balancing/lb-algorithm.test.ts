import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { destinationRule, startCheckHarness, withChanges, type CheckHarness } from '../../testing';
import { expectFailed, expectOnlyReads, expectPassed, failure } from '../../testing/check-expectations';
import { bookinfoRouted } from '../../testing/testdata/lab-fixtures';

const start = withChanges(bookinfoRouted(), [], ['VirtualService default/reviews']);
const drWith = (trafficPolicy: Record<string, unknown> | undefined) =>
  destinationRule('default', 'reviews', {
    host: 'reviews',
    ...(trafficPolicy ? { trafficPolicy } : {}),
    subsets: ['v1', 'v2', 'v3'].map((v) => ({ name: v, labels: { version: v } })),
  });

/** An istiod config_dump as Envoy's admin API shapes it; proto3 JSON omits lbPolicy ROUND_ROBIN. */
function dump(lbPolicy: string | undefined): string {
  const cluster = {
    '@type': 'type.googleapis.com/envoy.config.cluster.v3.Cluster',
    name: 'outbound|9080||reviews.default.svc.cluster.local',
    type: 'EDS',
    edsClusterConfig: { edsConfig: { ads: {}, initialFetchTimeout: '0s', resourceApiVersion: 'V3' }, serviceName: 'outbound|9080||reviews.default.svc.cluster.local' },
    connectTimeout: '10s',
    ...(lbPolicy ? { lbPolicy } : {}),
  };
  return JSON.stringify({
    configs: [
      { '@type': 'type.googleapis.com/envoy.admin.v3.BootstrapConfigDump', bootstrap: {} },
      { '@type': 'type.googleapis.com/envoy.admin.v3.ClustersConfigDump', versionInfo: '2026-11-23T10:00:00Z/42', dynamicActiveClusters: [{ versionInfo: '2026-11-23T10:00:00Z/42', cluster }] },
    ],
  });
}

describe('l10-load-balancing/lb-algorithm', () => {
  let h: CheckHarness;
  let generated: string | undefined;
  const seenPaths: string[] = [];
  beforeAll(async () => {
    h = await startCheckHarness({ objects: start });
    h.api.setProxyHandler('istio-system/services/istiod:15014', (q) => {
      seenPaths.push(q.path);
      return { status: 200, headers: { 'content-type': 'application/json' }, body: dump(generated) };
    });
  });
  afterAll(() => h.close());
  const run = (trafficPolicy: Record<string, unknown> | undefined, envoy: string | undefined) => {
    h.api.set(withChanges(start, [drWith(trafficPolicy)]));
    generated = envoy;
    return h.run('l10-load-balancing', 'lb-algorithm');
  };

  it('passes for RANDOM when istiod generated RANDOM for productpage', async () => {
    expectPassed(await run({ loadBalancer: { simple: 'RANDOM' } }, 'RANDOM'));
    expect(seenPaths.at(-1)).toMatch(/^\/debug\/config_dump\?proxyID=productpage-v1-.*\.default$/);
    expectOnlyReads(h);
  });

  it('reads an absent lbPolicy as ROUND_ROBIN', async () => {
    expectPassed(await run({ loadBalancer: { simple: 'ROUND_ROBIN' } }, undefined));
  });

  it('fails on the starting state, telling the default is LEAST_REQUEST', async () => {
    const r = await run(undefined, 'LEAST_REQUEST');
    expectFailed(r);
    expect(failure(r, 'L10.LB_SIMPLE').actual).toMatch(/LEAST_REQUEST/);
  });

  it('fails when the setting sits on a subset only', async () => {
    h.api.set(withChanges(start, [destinationRule('default', 'reviews', { host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'v1' }, trafficPolicy: { loadBalancer: { simple: 'RANDOM' } } }] })]));
    const r = await h.run('l10-load-balancing', 'lb-algorithm');
    expect(failure(r, 'L10.LB_SIMPLE').hint).toMatch(/top-level/);
  });

  it('fails when the generated config has not caught up', async () => {
    const r = await run({ loadBalancer: { simple: 'RANDOM' } }, 'LEAST_REQUEST');
    expect(failure(r, 'L10.LB_GENERATED').actual).toMatch(/LEAST_REQUEST/);
  });
});
