import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCheckHarness, withChanges, type CheckHarness } from '../../testing';
import { expectFailed, expectOnlyReads, expectPassed, failure, warnCodes } from '../../testing/check-expectations';
import { bookinfoRouted, bookinfoVs, dest, jasonMatch, jasonToV2 } from '../../testing/testdata/lab-fixtures';

const start = withChanges(bookinfoRouted(), [jasonToV2()]);
const ratings = (fault: Record<string, unknown> | undefined, first: 'jason' | 'all' = 'jason') =>
  bookinfoVs(
    'ratings',
    first === 'jason'
      ? [{ match: jasonMatch, ...(fault ? { fault } : {}), route: [dest('ratings', 'v1')] }, { route: [dest('ratings', 'v1')] }]
      : [{ ...(fault ? { fault } : {}), route: [dest('ratings', 'v1')] }],
  );
const delay = { delay: { fixedDelay: '7s', percentage: { value: 100 } } };

describe('l06-fault-injection/inject-delay and inject-abort', () => {
  let h: CheckHarness;
  beforeAll(async () => {
    h = await startCheckHarness({ objects: start });
  });
  afterAll(() => h.close());
  const run = (step: string, objects = start) => {
    h.api.set(objects);
    return h.run('l06-fault-injection', step);
  };

  it('inject-delay passes on the solution', async () => {
    expectPassed(await run('inject-delay', withChanges(start, [ratings(delay)])));
    expectOnlyReads(h);
  });

  it('inject-delay fails on the starting state', async () => {
    const r = await run('inject-delay');
    expectFailed(r);
    failure(r, 'L06.JASON_RULE');
  });

  it('accepts the legacy integer percent with a note', async () => {
    const r = await run('inject-delay', withChanges(start, [ratings({ delay: { fixedDelay: '7s', percent: 100 } })]));
    expectPassed(r);
    expect(warnCodes(r)).toContain('L06.FAULT_PERCENTAGE');
  });

  it('fails when percentage is omitted (0 %)', async () => {
    const r = await run('inject-delay', withChanges(start, [ratings({ delay: { fixedDelay: '7s' } })]));
    expect(failure(r, 'L06.FAULT_PERCENTAGE').actual).toMatch(/0%/);
  });

  it('fails when the delay is too short to show the bug', async () => {
    const r = await run('inject-delay', withChanges(start, [ratings({ delay: { fixedDelay: '2s', percentage: { value: 100 } } })]));
    expect(failure(r, 'L06.DELAY').hint).toMatch(/3 s and retries once/);
  });

  it('fails when everyone is delayed (no jason match)', async () => {
    const r = await run('inject-delay', withChanges(start, [ratings(delay, 'all')]));
    expect(failure(r, 'L06.FAULT_FOR_EVERYONE').hint).toMatch(/end-user/);
  });

  it('fails when the fault sits on the reviews VirtualService', async () => {
    const reviews = bookinfoVs('reviews', [{ match: jasonMatch, fault: delay, route: [dest('reviews', 'v2')] }, { route: [dest('reviews', 'v1')] }]);
    const r = await run('inject-delay', withChanges(start, [reviews]));
    expect(failure(r, 'L06.FAULT_ON_REVIEWS').hint).toMatch(/belongs on ratings/);
  });

  it('inject-abort passes on its solution and fails while the delay is left', async () => {
    const abort = { abort: { httpStatus: 500, percentage: { value: 100 } } };
    expectPassed(await run('inject-abort', withChanges(start, [ratings(abort)])));
    const r = await run('inject-abort', withChanges(start, [ratings({ ...abort, ...delay })]));
    expect(failure(r, 'L06.DELAY_LEFT').hint).toMatch(/Remove `delay`/);
    const r2 = await run('inject-abort', withChanges(start, [ratings(delay)]));
    failure(r2, 'L06.ABORT');
  });
});
