import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../check-result';
import { destinationRule, startCheckHarness, virtualService, type CheckHarness } from '../../testing';
import { allToV1, bookinfoDrs, l03Solution, l03Start, routeAll } from '../../testing/testdata/l03-fixtures';

const lab = 'l03-subsets';
let h: CheckHarness;
beforeAll(async () => {
  h = await startCheckHarness({ requireHints: true });
});
afterAll(async () => {
  await h.close();
});
const failing = (r: CheckResult) => r.assertions.filter((a) => a.status === 'fail');

describe('l03 destination-rules', () => {
  it('passes on the solution state', async () => {
    h.api.set(l03Solution());
    const r = await h.run(lab, 'destination-rules');
    expect(r.outcome, JSON.stringify(failing(r))).toBe('passed');
  });
  it('fails on the starting state', async () => {
    h.api.set(l03Start());
    const r = await h.run(lab, 'destination-rules');
    expect(failing(r).map((a) => a.code)).toEqual(['L03.DR', 'L03.DR', 'L03.DR', 'L03.DR']);
  });
  it('mistake: subset label app: v1 instead of version: v1', async () => {
    h.api.set([...l03Start(), ...bookinfoDrs({ reviewsKey: 'app' })]);
    const f = failing(await h.run(lab, 'destination-rules'))[0];
    expect(f?.code).toBe('L03.DR_LABELS');
    expect(f?.hint).toContain('not "app"');
  });
  it('mistake: subset v3 left out → a missing subset answers 503 with flag NC', async () => {
    const drs = bookinfoDrs().map((o) =>
      o.metadata?.name === 'reviews'
        ? destinationRule('default', 'reviews', {
            host: 'reviews',
            subsets: [
              { name: 'v1', labels: { version: 'v1' } },
              { name: 'v2', labels: { version: 'v2' } },
            ],
          })
        : o,
    );
    h.api.set([...l03Start(), ...drs]);
    const f = failing(await h.run(lab, 'destination-rules'))[0];
    expect(f?.code).toBe('L03.DR_SUBSET');
    expect(f?.hint).toMatch(/503 and flag NC/);
  });
  it('mistake: DR host misspelt → IST0174', async () => {
    h.api.set([...l03Start(), ...bookinfoDrs({ reviewsHost: 'reveiws' })]);
    expect(failing(await h.run(lab, 'destination-rules')).map((a) => a.code)).toEqual(['L03.DR', 'IST0174']);
  });
  it('mistake: two DRs for one host → keep one', async () => {
    h.api.set([
      ...l03Solution(),
      destinationRule('default', 'reviews-copy', {
        host: 'reviews.default.svc.cluster.local',
        subsets: [{ name: 'v1', labels: { version: 'v1' } }],
      }),
    ]);
    const f = failing(await h.run(lab, 'destination-rules'))[0];
    expect(f?.code).toBe('MESH.DR_DUPLICATE');
    expect(f?.hint).toContain('Keep one');
  });
  it('a subset whose pods are gone → IST0173', async () => {
    h.api.set(l03Solution().filter((o) => !(o.kind === 'Pod' && o.metadata?.name?.startsWith('reviews-v3-'))));
    expect(failing(await h.run(lab, 'destination-rules')).map((a) => a.code)).toEqual(['IST0173']);
  });
});

describe('l03 route-to-v1', () => {
  it('passes on the solution state', async () => {
    h.api.set(l03Solution());
    const r = await h.run(lab, 'route-to-v1');
    expect(r.outcome, JSON.stringify(failing(r))).toBe('passed');
  });
  it('fails on the starting state', async () => {
    h.api.set(l03Start());
    expect(failing(await h.run(lab, 'route-to-v1'))).toHaveLength(4);
  });
  it('mistake: VS applied before the DR → IST0101', async () => {
    h.api.set([...l03Start(), ...allToV1()]);
    const f = failing(await h.run(lab, 'route-to-v1'));
    expect(f.map((a) => a.code)).toEqual(['IST0101', 'IST0101', 'IST0101', 'IST0101']);
    expect(f[0]?.hint).toContain('Apply the DestinationRules first');
  });
  it('mistake: two VS for reviews → IST0109', async () => {
    h.api.set([
      ...l03Solution(),
      virtualService('default', 'reviews-2', {
        hosts: ['reviews.default.svc.cluster.local'],
        http: [{ route: [{ destination: { host: 'reviews', subset: 'v1' } }] }],
      }),
    ]);
    expect(failing(await h.run(lab, 'route-to-v1')).map((a) => a.code)).toEqual(['IST0109']);
  });
  it('mistake: route without subset', async () => {
    h.api.set([
      ...l03Start(),
      ...bookinfoDrs(),
      ...allToV1().filter((o) => o.metadata?.name !== 'reviews'),
      virtualService('default', 'reviews', {
        hosts: ['reviews'],
        http: [{ route: [{ destination: { host: 'reviews' } }] }],
      }),
    ]);
    const f = failing(await h.run(lab, 'route-to-v1'))[0];
    expect(f?.code).toBe('L03.VS_NO_SUBSET');
    expect(f?.hint).toContain('spreads traffic');
  });
  it('a short host applied in the wrong namespace: the hint shows the FQDN it resolved to', async () => {
    h.api.set([
      ...l03Start(),
      ...bookinfoDrs(),
      ...allToV1().filter((o) => o.metadata?.name !== 'reviews'),
      { ...routeAll('reviews'), metadata: { name: 'reviews', namespace: 'intro' } },
    ]);
    const f = failing(await h.run(lab, 'route-to-v1'));
    expect(f.map((a) => a.code)).toEqual(['MESH.VS_RESOLVES_ELSEWHERE']);
    expect(f[0]?.hint).toContain('reviews.intro.svc.cluster.local');
  });
  it('exportTo applies: a VS exported only to another namespace does not route reviews for Bookinfo in default', async () => {
    const hidden = routeAll('reviews');
    (hidden['spec'] as Record<string, unknown>)['exportTo'] = ['intro'];
    h.api.set([...l03Start(), ...bookinfoDrs(), ...allToV1().filter((o) => o.metadata?.name !== 'reviews'), hidden]);
    const f = failing(await h.run(lab, 'route-to-v1'));
    expect(f.map((a) => a.code)).toEqual(['MESH.VS_HIDDEN']);
    expect(f[0]?.hint).toContain('proxies in default ignore it');
  });
  it('a VS named differently still counts (found by host)', async () => {
    h.api.set([
      ...l03Start(),
      ...bookinfoDrs(),
      ...allToV1().filter((o) => o.metadata?.name !== 'reviews'),
      { ...routeAll('reviews'), metadata: { name: 'my-reviews', namespace: 'default' } },
    ]);
    const r = await h.run(lab, 'route-to-v1');
    expect(r.outcome).toBe('passed');
    expect(r.assertions.find((a) => a.code === 'MESH.VS_NAME')?.hint).toContain('default/my-reviews');
  });
});

describe('l03 observe-v1 (probe)', () => {
  it('passes when every answer comes from v1 (service proxy path)', async () => {
    h.api.set(l03Solution());
    h.bookinfo.setRoutes({ anonymous: { v1: 1 } });
    const r = await h.run(lab, 'observe-v1');
    expect(r.outcome, JSON.stringify(r.assertions)).toBe('passed');
    expect(
      h.api.requests.some((q) =>
        q.path.startsWith(
          '/api/v1/namespaces/istio-system/services/istio-ingressgateway:80/proxy/api/v1/products/0/reviews',
        ),
      ),
    ).toBe(true);
  });
  it('fails on the starting state (all three versions answer)', async () => {
    h.bookinfo.setRoutes({ anonymous: { v1: 1, v2: 1, v3: 1 } });
    const f = failing(await h.run(lab, 'observe-v1', { ingress: true }))[0];
    expect(f?.code).toBe('L03.MIX_V1');
    expect(f?.hint).toContain('Other versions still answer');
  });
  it('could not run, not failed, when the API server has no ingress gateway Service to proxy to', async () => {
    h.api.set(l03Solution().filter((o) => !(o.kind === 'Service' && o.metadata?.name === 'istio-ingressgateway')));
    const r = await h.run(lab, 'observe-v1');
    expect(r.outcome).toBe('error');
    expect(r.error?.code).toBe('unreachable');
    expect(r.error?.message).toContain('/api/v1/namespaces/istio-system/services/istio-ingressgateway:80/proxy');
    expect(r.assertions.some((a) => a.hint?.includes('503'))).toBe(false);
  });
  it('mistake: VS before DR → 503s, hint names NC (missing subset) and UH (no pod)', async () => {
    h.bookinfo.setRoutes({ anonymous: { v1: 1 }, failure: { status: 503, body: 'no healthy upstream' } });
    const f = failing(await h.run(lab, 'observe-v1', { ingress: true }))[0];
    expect(f?.actual).toContain('HTTP 503 ×30');
    expect(f?.hint).toContain('IST0101');
    expect(f?.hint).toMatch(/flag NC means a route names a subset that no DestinationRule defines/);
    expect(f?.hint).toMatch(/flag UH means the subset selects no Ready pod/);
    expect(f?.hint).not.toMatch(/\bNR\b/);
  });
});
