import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCheckHarness, withChanges, type CheckHarness } from '../../testing';
import { expectFailed, expectOnlyReads, expectPassed, failure } from '../../testing/check-expectations';
import { bookinfoRouted, bookinfoVs, dest } from '../../testing/testdata/lab-fixtures';

const ratingsDelay = bookinfoVs('ratings', [
  { fault: { delay: { fixedDelay: '2s', percentage: { value: 100 } } }, route: [dest('ratings', 'v1')] },
]);
const start = withChanges(bookinfoRouted(), [
  bookinfoVs('reviews', [{ route: [dest('reviews', 'v2')] }]),
  ratingsDelay,
]);
const reviewsWith = (timeout: string) => bookinfoVs('reviews', [{ route: [dest('reviews', 'v2')], timeout }]);

describe('l07-timeouts-retries state steps', () => {
  let h: CheckHarness;
  beforeAll(async () => {
    h = await startCheckHarness({ objects: start });
  });
  afterAll(() => h.close());
  const run = (step: string, objects = start) => {
    h.api.set(objects);
    return h.run('l07-timeouts-retries', step);
  };

  it('delay-ratings passes on its solution and fails on the L03 starting state', async () => {
    expectPassed(await run('delay-ratings'));
    const r = await run('delay-ratings', bookinfoRouted());
    expectFailed(r);
    failure(r, 'MESH.ROUTE_SHARES');
    failure(r, 'L07.RATINGS_DELAY');
  });

  it('timeout-reviews passes on the solution', async () => {
    expectPassed(await run('timeout-reviews', withChanges(start, [reviewsWith('0.5s')])));
    expectOnlyReads(h);
  });

  it('timeout-reviews fails on the starting state', async () => {
    expectFailed(await run('timeout-reviews'));
  });

  it('fails when the timeout sits on ratings instead of reviews', async () => {
    const ratings = bookinfoVs('ratings', [
      {
        fault: { delay: { fixedDelay: '2s', percentage: { value: 100 } } },
        route: [dest('ratings', 'v1')],
        timeout: '0.5s',
      },
    ]);
    const r = await run('timeout-reviews', withChanges(start, [ratings]));
    expect(failure(r, 'L07.REVIEWS_TIMEOUT').hint).toMatch(/not on ratings/);
  });

  it("fails when the timeout exceeds productpage's own 3 s", async () => {
    const r = await run('timeout-reviews', withChanges(start, [reviewsWith('5s')]));
    expect(failure(r, 'L07.REVIEWS_TIMEOUT').hint).toMatch(/3 s timeout fires first/);
  });
});
