import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { l02Solution, l02Start, httpbinVs } from '../labs/l02-ingress-gateway/l02-fixtures';
import { allToV1, l03Start } from '../labs/l03-subsets/l03-fixtures';
import { catchAllFirst, l04Solution, noV2Subset, prefixMatch } from '../labs/l04-header-routing/l04-fixtures';
import { startCheckHarness, type CheckHarness } from './check-harness';
import { reviewsDecision, simulateMesh } from './mesh-simulator';

describe('reviews routing derived from state', () => {
  it('follows the end-user rule, the default route and relative weights', () => {
    expect(reviewsDecision(l04Solution(), 'jason')).toEqual({ weights: { v2: 100 } });
    expect(reviewsDecision(l04Solution(), undefined)).toEqual({ weights: { v1: 100 } });
    expect(reviewsDecision(prefixMatch(), 'jane')).toEqual({ weights: { v2: 100 } });
    expect(reviewsDecision(catchAllFirst(), 'jason')).toEqual({ weights: { v1: 100 } });
    expect(reviewsDecision(l03Start(), undefined)).toEqual({ weights: { v1: 1, v2: 1, v3: 1 } });
  });
  it('answers 503 for a subset no DestinationRule defines (VS before DR, missing v2)', () => {
    expect(reviewsDecision([...l03Start(), ...allToV1()], undefined)).toMatchObject({ failure: { status: 503 } });
    expect(reviewsDecision(noV2Subset(), 'jason')).toMatchObject({ failure: { status: 503 } });
    expect(reviewsDecision(noV2Subset(), undefined)).toEqual({ weights: { v1: 100 } });
  });
});

describe('probe checks against simulated state', () => {
  let h: CheckHarness;
  beforeAll(async () => {
    h = await startCheckHarness({ requireHints: true });
  });
  afterAll(async () => {
    await h.close();
  });
  const runOn = async (objects: ReturnType<typeof l04Solution>, lab: string, step: string) => {
    h.api.set(objects);
    simulateMesh(h, objects);
    return h.run(lab, step);
  };
  it('L04 verify-users passes on the solution and fails when the catch-all comes first', async () => {
    expect((await runOn(l04Solution(), 'l04-header-routing', 'verify-users')).outcome).toBe('passed');
    const r = await runOn(catchAllFirst(), 'l04-header-routing', 'verify-users');
    expect(r.assertions.filter((a) => a.status === 'fail').map((a) => a.code)).toEqual(['L04.JASON_V2']);
  });
  it('L03 observe-v1 sees 503s when the VS came before its DR', async () => {
    const r = await runOn([...l03Start(), ...allToV1()], 'l03-subsets', 'observe-v1');
    expect(r.assertions[0]?.actual).toContain('HTTP 503');
  });
  it('L02 call-through-gateway passes on the solution and fails when the VS is in the wrong namespace', async () => {
    expect((await runOn(l02Solution(), 'l02-ingress-gateway', 'call-through-gateway')).outcome).toBe('passed');
    const wrongNs = [...l02Start(), ...l02Solution().filter((o) => o.kind === 'Gateway' && o.metadata?.name === 'httpbin-gateway'), httpbinVs({ ns: 'default' })];
    const r = await runOn(wrongNs, 'l02-ingress-gateway', 'call-through-gateway');
    expect(r.assertions.find((a) => a.code === 'L02.CALL_HOST')?.actual).toBe('HTTP 404');
  });
});
