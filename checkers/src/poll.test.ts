import { describe, expect, it } from 'vitest';
import { CheckRunError } from './check-error';
import { poll } from './poll';

describe('poll', () => {
  it('needs n good samples in a row (a flap resets the streak)', async () => {
    const values = [true, false, true, true, true];
    let i = 0;
    const r = await poll(() => Promise.resolve(values[i++] ?? true), { until: (v) => v, timeoutMs: 5_000, intervalMs: 0, passesInARow: 2 });
    expect(r).toMatchObject({ ok: true, attempts: 4 });
  });
  it('returns the last sample when time runs out, without throwing', async () => {
    let n = 0;
    const r = await poll(() => Promise.resolve(++n), { until: () => false, timeoutMs: 30, intervalMs: 5 });
    expect(r.ok).toBe(false);
    expect(r.value).toBe(r.attempts);
  });
  it('stops at the deadline even with a long timeout', async () => {
    const started = Date.now();
    await poll(() => Promise.resolve(0), { until: () => false, timeoutMs: 60_000, intervalMs: 10, deadline: Date.now() + 50 });
    expect(Date.now() - started).toBeLessThan(1_000);
  });
  it('lets a good streak finish past the poll budget when samples are slow, but not past the deadline', async () => {
    const slowGood = () => new Promise<boolean>((r) => setTimeout(() => r(true), 40));
    // Budget 50 ms: the first good sample ends at ~40 ms, the confirming one at ~85 ms.
    const r = await poll(slowGood, { until: (v) => v, timeoutMs: 50, intervalMs: 5, passesInARow: 2 });
    expect(r).toMatchObject({ ok: true, attempts: 2 });
    const capped = await poll(slowGood, { until: (v) => v, timeoutMs: 50, intervalMs: 5, passesInARow: 2, deadline: Date.now() + 42 });
    expect(capped).toMatchObject({ ok: false, attempts: 1 });
    // A bad sample ends the streak and with it the extra time.
    const values = [true, false, true, true];
    let i = 0;
    const flap = await poll(() => new Promise<boolean>((res) => setTimeout(() => res(values[i++] ?? true), 30)), { until: (v) => v, timeoutMs: 40, intervalMs: 5, passesInARow: 2 });
    expect(flap).toMatchObject({ ok: false, attempts: 2 });
  });
  it('propagates sample errors and abort reasons', async () => {
    await expect(poll(() => Promise.reject(new CheckRunError('forbidden', 'no')), { until: () => true, timeoutMs: 100 })).rejects.toMatchObject({ code: 'forbidden' });
    const controller = new AbortController();
    const pending = poll(() => Promise.resolve(0), { until: () => false, timeoutMs: 10_000, intervalMs: 1_000, signal: controller.signal });
    controller.abort(new CheckRunError('timeout', 'stop'));
    await expect(pending).rejects.toMatchObject({ code: 'timeout', message: 'stop' });
  });
});
