import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../cluster-reader';
import { destinationRule, withChanges } from '../../testing';
import { expectFailed, expectOnlyReads, expectPassed, failedCodes, failure } from '../../testing/check-expectations';
import { startMeshHarness, type MeshHarness, type MeshRunOptions } from '../../testing/mesh-harness';
import { simulateMesh } from '../../testing/mesh-simulator';
import { bookinfoRouted } from '../../testing/testdata/lab-fixtures';

/** labs/l10-load-balancing/setup.sh: L03's subsets and every service (reviews too) routed to v1. */
const start = bookinfoRouted();
const drWith = (trafficPolicy: Record<string, unknown> | undefined, subsetPolicy?: Record<string, unknown>) =>
  destinationRule('default', 'reviews', {
    host: 'reviews',
    ...(trafficPolicy ? { trafficPolicy } : {}),
    subsets: ['v1', 'v2', 'v3'].map((v) => ({ name: v, labels: { version: v }, ...(subsetPolicy && v === 'v1' ? { trafficPolicy: subsetPolicy } : {}) })),
  });
const hashOn = (header: string) => ({ loadBalancer: { consistentHash: { httpHeaderName: header } } });
const noReviewsVs = (dr: KubeObject) => withChanges(start, [dr], ['VirtualService default/reviews']);
/** After step 2 (lb-algorithm): no reviews VS, RANDOM. */
const afterStep2 = noReviewsVs(drWith({ loadBalancer: { simple: 'RANDOM' } }));
/** After labs/l10-load-balancing/solutions/sticky-sessions.sh. */
const solved = noReviewsVs(drWith(hashOn('user-agent')));
/** The state with only reviews-v2 pods left behind the Service (v1 and v3 not ready). */
const onlyV2 = (objects: KubeObject[]) => objects.filter((o) => !(o.kind === 'Pod' && /^reviews-v[13]-/.test(o.metadata?.name ?? '')));

describe('l10-load-balancing/sticky-sessions', () => {
  let fx: MeshHarness;
  beforeAll(async () => {
    fx = await startMeshHarness('l10-load-balancing', start);
  });
  afterAll(() => fx.close());
  const h = () => fx.h;
  const run = (objects: KubeObject[], options?: MeshRunOptions) => fx.run('sticky-sessions', objects, false, options);

  it('passes on the solution: one User-Agent sticks to one version, ten reach several', async () => {
    const served = { ...h().bookinfo.served };
    const r = await run(solved);
    expectPassed(r);
    expect(r.assertions.find((a) => a.code === 'L10.STICKY')?.actual).toMatch(/of 30 requests/);
    expect(r.assertions.find((a) => a.code === 'L10.SPREAD')?.actual).toMatch(/reached (v\d, ){1,2}v\d$/);
    const sent = Object.values(h().bookinfo.served).reduce((a, b) => a + b, 0) - Object.values(served).reduce((a, b) => a + b, 0);
    // Two sticky samples of 10 in a row (propagation poll), the 30-request check, 10 single requests.
    expect(sent).toBe(2 * 10 + 30 + 10);
    expectOnlyReads(h());
  });

  it('passes with the header name written in any case, through --ingress too', async () => {
    expectPassed(await run(noReviewsVs(drWith(hashOn('User-Agent'))), { ingress: true }));
  });

  it('fails on the lab starting state without probing', async () => {
    const served = Object.values(h().bookinfo.served).reduce((a, b) => a + b, 0);
    const r = await run(start);
    expectFailed(r);
    const a = failure(r, 'L10.CONSISTENT_HASH');
    expect(a.actual).toBe('no consistentHash');
    expect(a.next).toBe('kubectl get destinationrule -n default reviews -o yaml');
    expect(Object.values(h().bookinfo.served).reduce((x, y) => x + y, 0)).toBe(served);
  });

  it('fails when consistentHash is missing (step 2 left simple: RANDOM)', async () => {
    const r = await run(afterStep2);
    expect(failure(r, 'L10.CONSISTENT_HASH').hint).toMatch(/consistentHash: \{httpHeaderName: user-agent\}.*replacing `simple`/);
  });

  it('fails when hashing on a header productpage does not forward (x-user)', async () => {
    const r = await run(noReviewsVs(drWith(hashOn('x-user'))));
    const a = failure(r, 'L10.CONSISTENT_HASH');
    expect(a.actual).toBe('consistentHash on header x-user');
    expect(a.hint).toMatch(/productpage does not forward x-user.*picks a pod at random.*hash on that/);
  });

  it('the x-user hint matches the fake mesh: a fixed x-user at the ingress does not stick', async () => {
    const state = noReviewsVs(drWith(hashOn('x-user')));
    fx.h.api.set(state);
    simulateMesh(fx.h, state);
    const seen = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const res = await fx.h.bookinfo.handle({ method: 'GET', path: '/api/v1/products/0/reviews', headers: { host: 'x', 'x-user': 'alice' }, body: '' });
      seen.add((JSON.parse(res.body) as { podname: string }).podname);
    }
    expect(seen.size).toBeGreaterThan(1);
  });

  it('fails when a VirtualService with subsets is kept for reviews', async () => {
    const r = await run(withChanges(start, [drWith(hashOn('user-agent'))]));
    expectFailed(r);
    const a = failure(r, 'L10.VS_WITH_SUBSETS');
    expect(a.hint).toMatch(/one pod: hashing has nothing to choose from.*Delete that VirtualService/);
    expect(a.next).toBe('kubectl delete virtualservice -n default reviews');
  });

  it('fails when consistentHash sits under a subset only', async () => {
    const r = await run(noReviewsVs(drWith(undefined, hashOn('user-agent'))));
    const a = failure(r, 'L10.CONSISTENT_HASH');
    expect(a.actual).toBe('consistentHash only on subset v1');
    expect(a.hint).toMatch(/top-level trafficPolicy/);
  });

  it('fails on the probe when the DR is right but requests still spread (not yet pushed)', async () => {
    // istiod has not pushed the hash yet: the proxies still have step 2's RANDOM.
    const r = await run(solved, { proxiesSee: afterStep2 });
    expect(failedCodes(r)).toEqual(['L10.STICKY']);
    expect(failure(r, 'L10.STICKY').hint).toMatch(/has not reached productpage's proxy/);
  });

  it('fails on the spread when only one reviews version answers', async () => {
    const r = await run(solved, { proxiesSee: onlyV2(solved) });
    expect(failedCodes(r)).toEqual(['L10.SPREAD']);
    expect(failure(r, 'L10.SPREAD').actual).toBe('only v2');
  });
});
