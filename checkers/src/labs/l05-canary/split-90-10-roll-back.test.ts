import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCheckHarness, withChanges, type CheckHarness } from '../../testing';
import { expectFailed, expectPassed } from '../../testing/check-expectations';
import { bookinfoRouted, bookinfoVs, dest } from '../../testing/testdata/lab-fixtures';

const start = bookinfoRouted();
const split = (v1: number, v3: number) => withChanges(start, [bookinfoVs('reviews', [{ route: [dest('reviews', 'v1', v1), dest('reviews', 'v3', v3)] }])]);

describe('l05-canary/split-90-10 and roll-back', () => {
  let h: CheckHarness;
  beforeAll(async () => {
    h = await startCheckHarness({ objects: start });
  });
  afterAll(() => h.close());
  const run = (step: string, objects = start) => {
    h.api.set(objects);
    return h.run('l05-canary', step);
  };

  it('split-90-10 passes on 90/10 and relative 9/1, fails on the start and on the weights swapped', async () => {
    expectPassed(await run('split-90-10', split(90, 10)));
    expectPassed(await run('split-90-10', split(9, 1)));
    expectFailed(await run('split-90-10', start.filter((o) => !(o.kind === 'VirtualService' && o.metadata?.name === 'reviews'))));
    const swapped = await run('split-90-10', split(10, 90));
    expectFailed(swapped);
    expect(swapped.assertions.some((a) => a.status === 'fail' && /v1|v3/.test(`${a.expected ?? ''}${a.actual ?? ''}`))).toBe(true);
  });

  it('roll-back passes on the lesson\'s 100/0 pair and on a single route to v1, fails while v3 still gets traffic', async () => {
    expectPassed(await run('roll-back', split(100, 0)));
    expectPassed(await run('roll-back', withChanges(start, [bookinfoVs('reviews', [{ route: [dest('reviews', 'v1')] }])])));
    expectFailed(await run('roll-back', split(50, 50)));
    expectFailed(await run('roll-back', split(0, 100)));
  });
});
