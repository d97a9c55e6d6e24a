import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../cluster-reader';
import { startMeshHarness, type MeshHarness } from '../../testing/mesh-harness';
import { withChanges } from '../../testing';
import { expectFailed, expectOnlyReads, expectPassed, failure, msIn, passed } from '../../testing/check-expectations';
import { bookinfoRouted, bookinfoVs, dest, jasonMatch, jasonToV2 } from '../../testing/testdata/lab-fixtures';

/** The lab's setup: L03 routing plus jason → reviews v2 (the only version that calls ratings for him). */
const start = withChanges(bookinfoRouted(), [jasonToV2()]);

/** VS ratings with `fault` on the jason rule (the lesson) or on its only rule (no match: everyone). */
const ratings = (fault: Record<string, unknown>, scope: 'jason' | 'everyone' = 'jason') =>
  bookinfoVs(
    'ratings',
    scope === 'jason'
      ? [{ match: jasonMatch, fault, route: [dest('ratings', 'v1')] }, { route: [dest('ratings', 'v1')] }]
      : [{ fault, route: [dest('ratings', 'v1')] }],
  );
/** VS reviews as the lab sets it, with `fault` on the jason rule or on the rule for everyone else. */
const reviewsWithFault = (fault: Record<string, unknown>, on: 'jason' | 'everyone' = 'jason') =>
  bookinfoVs('reviews', [
    { match: jasonMatch, ...(on === 'jason' ? { fault } : {}), route: [dest('reviews', 'v2')] },
    { ...(on === 'everyone' ? { fault } : {}), route: [dest('reviews', 'v1')] },
  ]);

const delay7s = { delay: { fixedDelay: '7s', percentage: { value: 100 } } };
const abort500 = { abort: { httpStatus: 500, percentage: { value: 100 } } };

describe('l06-fault-injection observe steps against a modelled mesh', () => {
  let fx: MeshHarness;
  beforeAll(async () => {
    fx = await startMeshHarness('l06-fault-injection', start);
  });
  afterAll(() => fx.close());
  const run = (step: 'observe-delay' | 'observe-abort', objects: KubeObject[], keepSeries = false) => fx.run(step, objects, keepSeries);
  const afterEarlierPasses = async (step: 'observe-delay' | 'observe-abort', solved: KubeObject[], now: KubeObject[]) => {
    for (let i = 0; i < 3; i++) expectPassed(await run(step, solved, i > 0));
    return run(step, now, true);
  };
  const stale = /^([1-9]\d*) before this check's requests, still \1 after \d+ s$/;

  describe('observe-delay', () => {
    it('passes on the state inject-delay leaves: jason waits ~6 s for the reviews error, DI reported', async () => {
      const r = await run('observe-delay', withChanges(start, [ratings(delay7s)]));
      expectPassed(r);
      // productpage's two 3 s tries, not the 7 s delay: the bug the step is about.
      const actual = passed(r, 'L06.JASON_PAGE_SLOW')?.actual;
      expect(actual).toMatch(/reviews error shown$/);
      expect(msIn(actual)).toBeGreaterThanOrEqual(6_000);
      expect(msIn(actual)).toBeLessThan(7_000);
      expect(passed(r, 'L06.ANON_PAGE_FAST')).toBeDefined();
      // The probe loaded pages as jason (the run starts from a fresh mesh).
      expect(fx.ingressCalls('jason')).toBeGreaterThan(0);
      // A fresh scenario has no series: the check's own page loads create it.
      expect(passed(r, 'L06.PROM_DELAY_INJECTED')?.actual).toMatch(/^0 before this check's requests, [1-9]\d* after$/);
      expectOnlyReads(fx.h);
    });

    it("fails on the lab's starting state (no fault): jason's page is fast", async () => {
      const r = await run('observe-delay', start);
      expectFailed(r);
      expect(failure(r, 'L06.JASON_PAGE_SLOW').hint).toMatch(/does not reach jason's requests/);
      failure(r, 'L06.PROM_DELAY_INJECTED');
    });

    it('fails when the delay sits on the reviews VirtualService, although the page looks the same', async () => {
      const r = await run('observe-delay', withChanges(start, [reviewsWithFault(delay7s)]));
      expect(passed(r, 'L06.JASON_PAGE_SLOW')).toBeDefined();
      expect(failure(r, 'L06.PROM_DELAY_INJECTED').hint).toMatch(/productpage's call to reviews.*belongs on ratings/);
    });

    it('fails on DI calls counted in earlier attempts once the delay is removed', async () => {
      const r = await afterEarlierPasses('observe-delay', withChanges(start, [ratings(delay7s)]), start);
      expect(failure(r, 'L06.JASON_PAGE_SLOW').hint).toMatch(/does not reach jason's requests/);
      const f = failure(r, 'L06.PROM_DELAY_INJECTED');
      expect(f.actual).toMatch(stale);
      expect(f.hint).toMatch(/added no delayed call.*end-user jason/);
    });

    it('fails on earlier DI calls when the delay moved to the reviews hop (the page looks the same)', async () => {
      const r = await afterEarlierPasses('observe-delay', withChanges(start, [ratings(delay7s)]), withChanges(start, [reviewsWithFault(delay7s)]));
      expect(passed(r, 'L06.JASON_PAGE_SLOW')).toBeDefined();
      const f = failure(r, 'L06.PROM_DELAY_INJECTED');
      expect(f.actual).toMatch(stale);
      expect(f.hint).toMatch(/productpage's call to reviews.*belongs on ratings/);
    });

    it('fails when the ratings rule without match delays everyone, though anonymous users (reviews v1) look fine', async () => {
      const r = await run('observe-delay', withChanges(start, [ratings(delay7s, 'everyone')]));
      expect(passed(r, 'L06.ANON_PAGE_FAST')).toBeDefined();
      expect(failure(r, 'L06.FAULT_FOR_EVERYONE').hint).toMatch(/reviews v1, which never calls ratings/);
    });

    it('fails with the "everyone is slowed" hint when the delay hits anonymous pages too', async () => {
      const r = await run('observe-delay', withChanges(start, [reviewsWithFault(delay7s, 'everyone')]));
      expect(failure(r, 'L06.ANON_PAGE_FAST').hint).toMatch(/Everyone is slowed down/);
    });

    it("fails when the delay is shorter than productpage's 3 s try, so the bug stays hidden", async () => {
      const r = await run('observe-delay', withChanges(start, [ratings({ delay: { fixedDelay: '2s', percentage: { value: 100 } } })]));
      const f = failure(r, 'L06.JASON_PAGE_SLOW');
      expect(f.actual).toMatch(/no reviews error/);
      expect(msIn(f.actual)).toBeGreaterThanOrEqual(2_000);
      expect(msIn(f.actual)).toBeLessThan(3_000);
      expect(f.hint).toMatch(/less than productpage's 3 s per try.*fixedDelay: 7s/);
    });

    it('fails when the reviews error comes at once (an abort on the reviews hop, not a slow ratings)', async () => {
      const r = await run('observe-delay', withChanges(start, [reviewsWithFault(abort500)]));
      expect(failure(r, 'L06.JASON_PAGE_SLOW').actual).toMatch(/reviews error shown/);
    });

    it('fails when percentage is omitted (istiod injects into 0 % of requests)', async () => {
      const r = await run('observe-delay', withChanges(start, [ratings({ delay: { fixedDelay: '7s' } })]));
      expect(failure(r, 'L06.JASON_PAGE_SLOW').hint).toMatch(/percentage \{value: 100\}/);
      failure(r, 'L06.PROM_DELAY_INJECTED');
    });
  });

  describe('observe-abort', () => {
    it('passes on the state inject-abort leaves: jason sees the ratings error, FI reported by the client', async () => {
      const r = await run('observe-abort', withChanges(start, [ratings(abort500)]));
      expectPassed(r);
      expect(passed(r, 'L06.FAULT_FOR_EVERYONE')).toBeDefined();
      expect(passed(r, 'L06.PROM_ABORT_INJECTED')?.actual).toMatch(/^0 before this check's requests, [1-9]\d* after$/);
      expectOnlyReads(fx.h);
    });

    it("fails on the lab's starting state (no fault): jason still sees ratings", async () => {
      const r = await run('observe-abort', start);
      expectFailed(r);
      expect(failure(r, 'L06.JASON_RATINGS_ERROR').hint).toMatch(/jason still sees ratings/);
      failure(r, 'L06.PROM_ABORT_INJECTED');
    });

    it('fails on FI calls counted in earlier attempts once the abort is removed', async () => {
      const r = await afterEarlierPasses('observe-abort', withChanges(start, [ratings(abort500)]), start);
      expect(failure(r, 'L06.JASON_RATINGS_ERROR').hint).toMatch(/jason still sees ratings/);
      const f = failure(r, 'L06.PROM_ABORT_INJECTED');
      expect(f.actual).toMatch(stale);
      expect(f.hint).toMatch(/added no injected abort.*end-user jason/);
    });

    it('fails on earlier FI calls when the abort percentage was dropped (istiod injects into 0 %)', async () => {
      const r = await afterEarlierPasses('observe-abort', withChanges(start, [ratings(abort500)]), withChanges(start, [ratings({ abort: { httpStatus: 500 } })]));
      expect(failure(r, 'L06.PROM_ABORT_INJECTED').actual).toMatch(stale);
    });

    it('fails while the delay of the previous step is still in place', async () => {
      const r = await run('observe-abort', withChanges(start, [ratings(delay7s)]));
      expect(failure(r, 'L06.JASON_RATINGS_ERROR').hint).toMatch(/old delay is still in place/);
    });

    it('fails when the abort sits on the reviews VirtualService (jason loses all reviews)', async () => {
      const r = await run('observe-abort', withChanges(start, [reviewsWithFault(abort500)]));
      expect(failure(r, 'L06.JASON_RATINGS_ERROR').hint).toMatch(/abort hits productpage's call to reviews/);
      expect(failure(r, 'L06.PROM_ABORT_INJECTED').hint).toMatch(/belongs on ratings/);
    });

    it('fails when the ratings rule without match aborts everyone', async () => {
      const r = await run('observe-abort', withChanges(start, [ratings(abort500, 'everyone')]));
      expect(passed(r, 'L06.JASON_RATINGS_ERROR')).toBeDefined();
      expect(failure(r, 'L06.FAULT_FOR_EVERYONE').hint).toMatch(/Move the fault to a rule with `match/);
    });

    it('fails with the anonymous hint when anonymous users reach ratings and get the abort', async () => {
      const allToV2 = bookinfoVs('reviews', [{ route: [dest('reviews', 'v2')] }]);
      const r = await run('observe-abort', withChanges(start, [allToV2, ratings(abort500, 'everyone')]));
      expect(failure(r, 'L06.ANON_NO_ERROR').hint).toMatch(/Everyone gets the abort/);
    });

    it('fails when percentage is omitted from the abort', async () => {
      const r = await run('observe-abort', withChanges(start, [ratings({ abort: { httpStatus: 500 } })]));
      expect(failure(r, 'L06.JASON_RATINGS_ERROR').hint).toMatch(/percentage \{value: 100\}/);
    });
  });
});
