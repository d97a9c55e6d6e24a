import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCheckHarness, withChanges, type CheckHarness } from '../../testing';
import { expectFailed, expectOnlyReads, expectPassed, failure } from '../../testing/check-expectations';
import { bookinfoRouted, bookinfoVs, dest } from '../../testing/testdata/lab-fixtures';

const start = bookinfoRouted();

describe('l10-load-balancing/remove-reviews-route', () => {
  let h: CheckHarness;
  beforeAll(async () => {
    h = await startCheckHarness({ objects: start });
  });
  afterAll(() => h.close());

  it('passes once the reviews VirtualService is gone', async () => {
    h.api.set(withChanges(start, [], ['VirtualService default/reviews']));
    expectPassed(await h.run('l10-load-balancing', 'remove-reviews-route'));
    expectOnlyReads(h);
  });

  it("judges the goal: a VirtualService routing reviews without a subset also spreads traffic, and the note names the lesson's form", async () => {
    h.api.set(withChanges(start, [bookinfoVs('reviews', [{ route: [dest('reviews')] }])]));
    const r = await h.run('l10-load-balancing', 'remove-reviews-route');
    expectPassed(r);
    expect(r.assertions.find((a) => a.code === 'L10.NO_REVIEWS_VS')?.hint).toMatch(
      /without a subset.*The lesson deletes the VirtualService/,
    );
  });

  it('fails on the starting state, telling to delete it', async () => {
    h.api.set(start);
    const r = await h.run('l10-load-balancing', 'remove-reviews-route');
    expectFailed(r);
    expect(failure(r, 'L10.NO_REVIEWS_VS').next).toMatch(/kubectl delete virtualservice -n default reviews/);
  });
});
