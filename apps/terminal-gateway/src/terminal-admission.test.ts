import { describe, expect, it } from 'vitest';
import { TerminalAdmission } from './terminal-admission';
import { UsedTicketCache } from './used-ticket-cache';

describe('terminal admission', () => {
  it('caps live terminals with a retry hint in the message', () => {
    const admission = new TerminalAdmission({ maxTerminals: 2, newPerSecond: 100, fullRetrySeconds: 20 });
    expect(admission.admit(1)).toEqual({ ok: true });
    expect(admission.admit(2)).toEqual({ ok: false, reason: 'full', retryAfterSeconds: 20, message: 'the platform is full, try again in 20 s' });
    expect(admission.peek(2).ok).toBe(false);
  });

  it('lets a burst of `newPerSecond` through, then one more per 1/rate seconds', () => {
    let now = 0;
    const admission = new TerminalAdmission({ maxTerminals: 1000, newPerSecond: 2 }, () => now);
    expect(admission.admit(0).ok).toBe(true);
    expect(admission.admit(0).ok).toBe(true);
    expect(admission.admit(0)).toMatchObject({ ok: false, reason: 'rate', retryAfterSeconds: 1 });
    now = 499;
    expect(admission.admit(0).ok).toBe(false);
    now = 500;
    expect(admission.admit(0).ok).toBe(true);
    expect(admission.peek(0).ok).toBe(true); // peeking never takes a slot
  });

  it('charges a burst as of its arrival: handled over 3 s, a burst of 30 gets only the bucket size in', () => {
    let now = 0;
    const admission = new TerminalAdmission({ maxTerminals: 1000, newPerSecond: 10 }, () => now);
    // 30 requests arrive within 50 ms; a busy gateway handles them one per 100 ms.
    const arrivals = Array.from({ length: 30 }, (_, i) => Math.floor((i * 50) / 30));
    let admitted = 0;
    for (const arrivedAt of arrivals) {
      now += 100;
      if (admission.admit(0, arrivedAt).ok) admitted += 1;
    }
    expect(admitted).toBe(10);
    // Counting when handled would have refilled 10 per second meanwhile.
    let handledNow = 0;
    const byHandling = new TerminalAdmission({ maxTerminals: 1000, newPerSecond: 10 }, () => handledNow);
    let admittedByHandling = 0;
    for (let i = 0; i < 30; i += 1) {
      handledNow += 100;
      if (byHandling.admit(0).ok) admittedByHandling += 1;
    }
    expect(admittedByHandling).toBe(30);
    // Later arrivals refill as usual.
    now = 10_000;
    expect(admission.admit(0, 9_000).ok).toBe(true);
  });
});

describe('used tickets', () => {
  it('accepts a ticket id once until it expires, then forgets it', () => {
    const cache = new UsedTicketCache();
    expect(cache.use('ticket-aaaa', 100, 50_000)).toBe(true);
    expect(cache.wasUsed('ticket-aaaa', 60_000)).toBe(true);
    expect(cache.use('ticket-aaaa', 100, 60_000)).toBe(false);
    expect(cache.use('ticket-bbbb', 200, 100_000)).toBe(true);
    expect(cache.size).toBe(1); // the expired one was pruned
  });

  it('stays bounded', () => {
    const cache = new UsedTicketCache(3);
    for (const id of ['t-1111111', 't-2222222', 't-3333333', 't-4444444']) cache.use(id, 1000, 0);
    expect(cache.size).toBe(3);
  });
});
