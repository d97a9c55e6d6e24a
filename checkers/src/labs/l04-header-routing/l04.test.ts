import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../check-result';
import { startCheckHarness, type CheckHarness } from '../../testing';
import { catchAllFirst, cookieMatch, l04Solution, l04Start, noV2Subset, onProductpage, prefixMatch } from '../../testing/testdata/l04-fixtures';

const lab = 'l04-header-routing';
let h: CheckHarness;
beforeAll(async () => {
  h = await startCheckHarness({ requireHints: true });
});
afterAll(async () => {
  await h.close();
});
const failing = (r: CheckResult) => r.assertions.filter((a) => a.status === 'fail');

describe('l04 route-jason', () => {
  it('passes on the solution state', async () => {
    h.api.set(l04Solution());
    const r = await h.run(lab, 'route-jason');
    expect(r.outcome, JSON.stringify(failing(r))).toBe('passed');
  });
  it('fails on the starting state', async () => {
    h.api.set(l04Start());
    expect(failing(await h.run(lab, 'route-jason'))[0]?.code).toBe('L04.JASON_RULE');
  });
  it('mistake: catch-all first → IST0130', async () => {
    h.api.set(catchAllFirst());
    const f = failing(await h.run(lab, 'route-jason'));
    expect(f.map((a) => a.code)).toEqual(['IST0130']);
    expect(f.find((a) => a.code === 'IST0130')?.hint).toContain('never used');
  });
  it('mistake: rule on the productpage VS', async () => {
    h.api.set(onProductpage());
    expect(failing(await h.run(lab, 'route-jason'))[0]?.hint).toContain('put the rule on the reviews VirtualService');
  });
  it('mistake: matching cookie user=jason (old docs)', async () => {
    h.api.set(cookieMatch());
    expect(failing(await h.run(lab, 'route-jason'))[0]?.hint).toContain('Matching the cookie is an old recipe');
  });
  it('mistake: subset v2 missing from the DR → IST0101', async () => {
    h.api.set(noV2Subset());
    expect(failing(await h.run(lab, 'route-jason')).map((a) => a.code)).toEqual(['IST0101']);
  });
  it('a prefix match passes with a note', async () => {
    h.api.set(prefixMatch());
    const r = await h.run(lab, 'route-jason');
    expect(r.outcome).toBe('passed');
    expect(r.assertions.find((a) => a.code === 'L04.JASON_MATCH')?.status).toBe('warn');
  });
});

describe('l04 verify-users (probe)', () => {
  it('passes through the toolbox (cookies need exec curl) when jason gets v2 and others v1', async () => {
    h.api.set(l04Solution());
    h.bookinfo.setRoutes({ anonymous: { v1: 1 }, users: { jason: { v2: 1 } } });
    const r = await h.run(lab, 'verify-users');
    expect(r.outcome, JSON.stringify(r.assertions)).toBe('passed');
    expect(h.api.requests.filter((q) => q.method === 'EXEC').length).toBeGreaterThan(0);
  });
  it('passes with --ingress', async () => {
    expect((await h.run(lab, 'verify-users', { ingress: true })).outcome).toBe('passed');
  });
  it('fails on the starting state (jason sees v1)', async () => {
    h.bookinfo.setRoutes({ anonymous: { v1: 1 } });
    const f = failing(await h.run(lab, 'verify-users', { ingress: true }));
    expect(f.map((a) => a.code)).toEqual(['L04.JASON_V2']);
  });
  it('mistake: a loose match also catches alice', async () => {
    h.bookinfo.setRoutes({ anonymous: { v1: 1 }, users: { jason: { v2: 1 }, alice: { v2: 1 } } });
    const f = failing(await h.run(lab, 'verify-users', { ingress: true }));
    expect(f.map((a) => a.code)).toEqual(['L04.ALICE_V1']);
  });
});
