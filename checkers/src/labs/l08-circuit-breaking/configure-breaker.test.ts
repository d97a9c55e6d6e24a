import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baselineCluster, destinationRule, startCheckHarness, type CheckHarness } from '../../testing';
import { expectFailed, expectOnlyReads, expectPassed, failure } from '../../testing/check-expectations';
import { introApps } from '../../testing/testdata/lab-fixtures';

const start = [...baselineCluster(), ...introApps()];
const policy = {
  connectionPool: { tcp: { maxConnections: 1 }, http: { http1MaxPendingRequests: 1, maxRequestsPerConnection: 1 } },
  outlierDetection: { consecutive5xxErrors: 1, interval: '1s', baseEjectionTime: '3m', maxEjectionPercent: 100 },
};

describe('l08-circuit-breaking/configure-breaker', () => {
  let h: CheckHarness;
  beforeAll(async () => {
    h = await startCheckHarness({ objects: start });
  });
  afterAll(() => h.close());
  const run = (extra: ReturnType<typeof destinationRule>[]) => {
    h.api.set([...start, ...extra]);
    return h.run('l08-circuit-breaking', 'configure-breaker');
  };

  it('passes on the solution', async () => {
    expectPassed(await run([destinationRule('intro', 'httpbin', { host: 'httpbin', trafficPolicy: policy })]));
    expectOnlyReads(h);
  });

  it('fails on the starting state (no DestinationRule)', async () => {
    const r = await run([]);
    expectFailed(r);
    failure(r, 'L08.DR');
  });

  it('fails when the DR sits in the wrong namespace, showing the FQDN it resolved to', async () => {
    const r = await run([destinationRule('default', 'httpbin', { host: 'httpbin', trafficPolicy: policy })]);
    expect(failure(r, 'MESH.DR_RESOLVES_ELSEWHERE').actual).toMatch(/httpbin\.default\.svc\.cluster\.local/);
  });

  it('fails when maxEjectionPercent is left at the default', async () => {
    const { maxEjectionPercent: _omit, ...od } = policy.outlierDetection;
    const r = await run([
      destinationRule('intro', 'httpbin', { host: 'httpbin', trafficPolicy: { ...policy, outlierDetection: od } }),
    ]);
    expect(failure(r, 'L08.MAX_EJECTION_PERCENT').hint).toMatch(/single endpoint/);
  });

  it('fails with a keep-one hint on two DestinationRules for httpbin', async () => {
    const r = await run([
      destinationRule('intro', 'httpbin', { host: 'httpbin', trafficPolicy: policy }),
      destinationRule('intro', 'httpbin-cb', { host: 'httpbin.intro.svc.cluster.local', trafficPolicy: policy }),
    ]);
    expect(failure(r, 'MESH.DR_DUPLICATE').hint).toMatch(/Keep one/);
  });
});
