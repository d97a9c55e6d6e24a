import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../cluster-reader';
import { baselineCluster, destinationRule, virtualService } from '../../testing';
import { expectFailed, expectOnlyReads, expectPassed, failedCodes, failure } from '../../testing/check-expectations';
import { dest, introApps } from '../../testing/testdata/lab-fixtures';
import { startMeshHarness, type MeshHarness, type MeshRunOptions } from '../../testing/mesh-harness';

/** What labs/l09-mirroring/setup.sh leaves: httpbin-v1 and -v2 behind one Service, no VS, no DR. */
const start = [...baselineCluster(), ...introApps({ httpbinVersions: ['v1', 'v2'] })];
const dr = destinationRule('intro', 'httpbin', {
  host: 'httpbin',
  subsets: [
    { name: 'v1', labels: { version: 'v1' } },
    { name: 'v2', labels: { version: 'v2' } },
  ],
});
const vs = (routeTo: string, mirrorTo?: string) =>
  virtualService('intro', 'httpbin', {
    hosts: ['httpbin'],
    http: [
      {
        route: [dest('httpbin', routeTo, 100)],
        ...(mirrorTo ? { mirror: { host: 'httpbin', subset: mirrorTo }, mirrorPercentage: { value: 100 } } : {}),
      },
    ],
  });
/** State after labs/l09-mirroring/solutions/mirror-v2.sh. */
const solved = [...start, dr, vs('v1', 'v2')];

/** Prometheus keeps v2's count from the warm-up and earlier tests' copies, and this run adds none. */
const stale = /^([1-9]\d*) before this check's requests, still \1 after \d+ s$/;

describe('l09-mirroring/observe-mirror', () => {
  let fx: MeshHarness;
  beforeAll(async () => {
    fx = await startMeshHarness('l09-mirroring', start);
    // An earlier, working attempt: v2 already has mirrored requests in Prometheus.
    await fx.run('observe-mirror', solved);
  });
  afterAll(() => fx.close());
  /** One attempt on the same sidecars (Prometheus and logs keep earlier traffic). */
  const run = (objects: KubeObject[], options?: MeshRunOptions) => fx.run('observe-mirror', objects, true, options);

  it('passes on the solution: clients answered by v1, v2 logs a copy of each call, Prometheus counts them', async () => {
    const r = await run(solved);
    expectPassed(r);
    const m = /^(\d+) before this check's requests, (\d+) after$/.exec(r.assertions.find((a) => a.code === 'L09.PROM_V2_REQUESTS')?.actual ?? '');
    expect(Number(m?.[2]) - Number(m?.[1])).toBe(10);
    expect(fx.h.prometheus.queries.at(-1)).toMatch(/reporter="destination",destination_workload="httpbin-v2"/);
    expectOnlyReads(fx.h);
  });

  it('fails on the lab starting state (no VS: both versions answer, no copies)', async () => {
    const r = await run(start);
    expectFailed(r);
    failure(r, 'L09.VS');
    failure(r, 'L09.V1_SERVED');
    expect(failure(r, 'L09.V2_MIRRORED').hint).toMatch(/has no mirror/);
  });

  it('fails when mirroring to the same subset as the route', async () => {
    const r = await run([...start, dr, vs('v1', 'v1')]);
    const a = failure(r, 'L09.V2_MIRRORED');
    expect(a.actual).toMatch(/v1 20 .*v2 0/);
    expect(a.hint).toMatch(/targets subset v1, the one that already answers.*Mirror to subset v2/);
    // v2's count from the earlier passing run stays in Prometheus; this run's copies went to v1.
    expect(failure(r, 'L09.PROM_V2_REQUESTS').actual).toMatch(stale);
  });

  it('fails when the learner routes to v2 expecting to see the mirrored answers at the client', async () => {
    // Route and mirror swapped: both logs grow, so only the route tells who answered the client.
    const r = await run([...start, dr, vs('v2', 'v1')]);
    expectFailed(r);
    expect(failedCodes(r)).toEqual(['MESH.ROUTE_SHARES']);
    expect(failure(r, 'MESH.ROUTE_SHARES').hint).toMatch(/never see the mirror's answers.*100% v1/);
  });

  it('fails when v2 logs do not grow although the mirror is configured, without blaming a -shadow Host (old v2 count stays)', async () => {
    // The proxies still have the route without the mirror.
    const r = await run(solved, { proxiesSee: [...start, dr, vs('v1')] });
    const a = failure(r, 'L09.V2_MIRRORED');
    expect(a.actual).toMatch(/v1 10 .*v2 0/);
    expect(a.hint).toMatch(/subset v2, percentage 100.*no "-shadow" suffix/);
    const f = failure(r, 'L09.PROM_V2_REQUESTS');
    expect(f.actual).toMatch(stale);
    expect(f.hint).toMatch(/no request for this check's calls.*wait a minute/);
  });

  it('fails at mirror percentage 0', async () => {
    const zero = virtualService('intro', 'httpbin', {
      hosts: ['httpbin'],
      http: [
        {
          route: [dest('httpbin', 'v1', 100)],
          mirror: { host: 'httpbin', subset: 'v2' },
          mirrorPercentage: { value: 0 },
        },
      ],
    });
    const r = await run([...start, dr, zero]);
    expect(failure(r, 'L09.V2_MIRRORED').hint).toMatch(/percentage is 0/);
  });

  it('fails on Prometheus alone while the scrape lags, telling to wait', async () => {
    const r = await run(solved, { scrapeLag: true });
    expect(failedCodes(r)).toEqual(['L09.PROM_V2_REQUESTS']);
    expect(failure(r, 'L09.PROM_V2_REQUESTS').hint).toMatch(/wait a minute/);
  });

  it('fails when clients get 503', async () => {
    // The proxies have a subset v1 that selects no pod: Envoy answers 503 no healthy upstream.
    const noPods = destinationRule('intro', 'httpbin', { host: 'httpbin', subsets: [{ name: 'v1', labels: { version: 'v9' } }, { name: 'v2', labels: { version: 'v2' } }] });
    const r = await run(solved, { proxiesSee: [...start, noPods, vs('v1', 'v2')] });
    expect(failure(r, 'L09.CALLS_ANSWERED').hint).toMatch(/route to subset v1/);
  });
});
