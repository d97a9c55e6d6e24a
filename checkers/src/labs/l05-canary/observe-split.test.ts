import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCheckHarness, withChanges, type CheckHarness } from '../../testing';
import { expectFailed, expectOnlyReads, expectPassed, failure } from '../../testing/check-expectations';
import { bookinfoRouted, bookinfoVs, dest } from '../../testing/testdata/lab-fixtures';

const start = bookinfoRouted();
const split = withChanges(start, [
  bookinfoVs('reviews', [{ route: [dest('reviews', 'v1', 1), dest('reviews', 'v3', 1)] }]),
]);
const promoted = withChanges(start, [
  bookinfoVs('reviews', [{ route: [dest('reviews', 'v1', 0), dest('reviews', 'v3', 100)] }]),
]);

describe('l05-canary probes through the fake ingress', () => {
  let h: CheckHarness;
  beforeAll(async () => {
    h = await startCheckHarness({ objects: start });
  });
  afterAll(() => h.close());

  it('observe-split passes when traffic really splits 50/50', async () => {
    h.api.set(split);
    h.bookinfo.setRoutes({ anonymous: { v1: 1, v3: 1 } });
    const r = await h.run('l05-canary', 'observe-split', { ingress: true });
    expectPassed(r);
    expectOnlyReads(h);
  });

  it('observe-split fails on the starting state with the VirtualService hint, sending no traffic', async () => {
    h.api.set(start);
    h.bookinfo.setRoutes({ anonymous: { v1: 1 } });
    const before = h.bookinfo.served.v1;
    const r = await h.run('l05-canary', 'observe-split', { ingress: true });
    expectFailed(r);
    failure(r, 'MESH.ROUTE_SHARES');
    expect(h.bookinfo.served.v1).toBe(before);
  });

  it('observe-split fails when v2 still gets traffic (stale proxies)', async () => {
    h.api.set(split);
    h.bookinfo.setRoutes({ anonymous: { v1: 1, v2: 1, v3: 1 } });
    const r = await h.run('l05-canary', 'observe-split', { ingress: true });
    const v2 = r.assertions.find((a) => a.code === 'MESH.MIX_SHARE' && a.status === 'fail' && a.title.includes('v2'));
    expect(v2?.expected).toMatch(/^0 %/);
  });

  it('promote-v3 passes on all-v3 traffic and fails while v1 still answers', async () => {
    h.api.set(promoted);
    h.bookinfo.setRoutes({ anonymous: { v3: 1 } });
    expectPassed(await h.run('l05-canary', 'promote-v3', { ingress: true }));
    h.bookinfo.setRoutes({ anonymous: { v1: 1, v3: 9 } });
    const r = await h.run('l05-canary', 'promote-v3', { ingress: true });
    expect(
      r.assertions.find((a) => a.code === 'MESH.MIX_SHARE' && a.status === 'fail' && a.title.includes('v1'))?.hint,
    ).toBeTruthy();
  });

  it('promote-v3 fails on the 50/50 state', async () => {
    h.api.set(split);
    const r = await h.run('l05-canary', 'promote-v3', { ingress: true });
    failure(r, 'MESH.ROUTE_SHARES');
  });
});
