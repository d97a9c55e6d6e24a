import { describe, expect, it } from 'vitest';
import { clientAddress, NewLearnerLimiter } from './new-learner-limiter';

describe('NewLearnerLimiter', () => {
  it('allows a burst of perMinute from one address, then says how long to wait', () => {
    let now = 0;
    const limiter = new NewLearnerLimiter(3, () => now);
    expect([limiter.take('10.0.0.1'), limiter.take('10.0.0.1'), limiter.take('10.0.0.1')]).toEqual([undefined, undefined, undefined]);
    expect(limiter.take('10.0.0.1')).toBe(20);
    expect(limiter.take('10.0.0.2')).toBeUndefined();
    now = 19_000;
    expect(limiter.take('10.0.0.1')).toBe(1);
    now = 40_000;
    expect(limiter.take('10.0.0.1')).toBeUndefined();
  });
});

describe('clientAddress', () => {
  it('is the last x-forwarded-for entry: the one the portal\'s server or a trusted proxy wrote', () => {
    expect(clientAddress(new Headers({ 'x-forwarded-for': '6.6.6.6, 192.0.2.7' }))).toBe('192.0.2.7');
    expect(clientAddress(new Headers())).toBe('unknown');
  });
});
