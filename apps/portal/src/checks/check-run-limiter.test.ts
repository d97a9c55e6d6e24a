import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/api-error';
import { CheckRunLimiter } from './check-run-limiter';

/** A check that runs until the test lets it finish, counting how many were started. */
function gatedChecks() {
  let started = 0;
  const release: Array<() => void> = [];
  return {
    start: (value: string) => () => {
      started++;
      return new Promise<string>((resolve) => release.push(() => resolve(value)));
    },
    started: () => started,
    finishAll: () => release.splice(0).forEach((r) => r()),
  };
}

describe('CheckRunLimiter', () => {
  it('runs 300 concurrent requests for one learner and step as one check, every caller getting its result', async () => {
    const outcomes: string[] = [];
    const limiter = new CheckRunLimiter<string>(2, (o) => outcomes.push(o));
    const checks = gatedChecks();
    const calls = Array.from({ length: 300 }, () => limiter.run('lrn-a', 'l01/step', checks.start('result-1')));
    expect(checks.started()).toBe(1);
    expect(outcomes.filter((o) => o === 'started')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'joined')).toHaveLength(299);
    checks.finishAll();
    expect(new Set(await Promise.all(calls))).toEqual(new Set(['result-1']));
  });

  it('starts at most the per-learner limit for 300 requests over many steps and refuses the rest with 429', async () => {
    const limiter = new CheckRunLimiter<string>(2);
    const checks = gatedChecks();
    const outcomes = Array.from({ length: 300 }, (_, i) => {
      try {
        return limiter.run('lrn-a', `l01/step-${i % 30}`, checks.start(`step-${i % 30}`));
      } catch (error) {
        return Promise.reject(error);
      }
    });
    expect(checks.started()).toBe(2);
    expect(limiter.size).toBe(2);
    checks.finishAll();
    const settled = await Promise.allSettled(outcomes);
    const refused = settled.filter((s) => s.status === 'rejected').map((s) => (s as PromiseRejectedResult).reason as ApiError);
    expect(settled.filter((s) => s.status === 'fulfilled')).toHaveLength(20); // steps 0 and 1, ten requests each
    expect(refused).toHaveLength(280);
    expect(refused[0]).toBeInstanceOf(ApiError);
    expect(refused[0]?.status).toBe(429);
    expect(refused[0]?.message).toMatch(/you already have 2 checks running \(at most 2 at once\)/);
  });

  it('lets other learners check while one is at its limit, and frees the slot when a check ends', async () => {
    const limiter = new CheckRunLimiter<string>(1);
    const checks = gatedChecks();
    const first = limiter.run('lrn-a', 'l01/one', checks.start('a-one'));
    expect(() => limiter.run('lrn-a', 'l01/two', checks.start('a-two'))).toThrow(/at most 1 at once/);
    const other = limiter.run('lrn-b', 'l01/two', checks.start('b-two'));
    checks.finishAll();
    expect(await first).toBe('a-one');
    expect(await other).toBe('b-two');
    const again = limiter.run('lrn-a', 'l01/two', checks.start('a-two'));
    checks.finishAll();
    expect(await again).toBe('a-two');
    expect(limiter.size).toBe(0);
  });

  it('frees the slot when a check throws', async () => {
    const limiter = new CheckRunLimiter<string>(1);
    await expect(limiter.run('lrn-a', 'l01/one', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(limiter.size).toBe(0);
  });
});
