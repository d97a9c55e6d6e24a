import { setTimeout as delay } from 'node:timers/promises';
import { CheckRunError } from './check-error';

export interface PollOptions<T> {
  /** Judges one sample: true when it shows what the step expects. */
  until: (value: T) => boolean;
  /** Give up after this long (also bounded by `deadline`). */
  timeoutMs: number;
  /** Pause between samples (default 1000 ms). */
  intervalMs?: number;
  /** Samples in a row that must satisfy `until` (default 1); guards against a half-propagated config. */
  passesInARow?: number;
  signal?: AbortSignal;
  /** Absolute epoch ms after which no new sample starts (the check's own deadline). */
  deadline?: number;
}

export interface PollResult<T> {
  /** `until` held for `passesInARow` samples in a row before time ran out. */
  ok: boolean;
  /** The last sample taken (what a failing assertion reports as "actual"). */
  value: T;
  attempts: number;
  elapsedMs: number;
}

/**
 * Samples `sample()` until it converges or time runs out. Never throws for "not yet": the caller
 * turns `ok: false` into a failed assertion with the last value. Errors thrown by `sample`
 * (cluster unreachable, forbidden) propagate at once. Waiting between samples is bounded by the
 * deadline and cancelled by the signal, so a cancelled check stops within one interval.
 */
export async function poll<T>(sample: () => Promise<T>, options: PollOptions<T>): Promise<PollResult<T>> {
  const started = Date.now();
  const interval = Math.max(0, options.intervalMs ?? 1000);
  const needed = Math.max(1, options.passesInARow ?? 1);
  let stopAt = started + Math.max(0, options.timeoutMs);
  if (options.deadline !== undefined) stopAt = Math.min(stopAt, options.deadline);
  let streak = 0;
  let attempts = 0;
  for (;;) {
    if (options.signal?.aborted) throw abortError(options.signal);
    const value = await sample();
    attempts += 1;
    streak = options.until(value) ? streak + 1 : 0;
    const now = Date.now();
    if (streak >= needed) return { ok: true, value, attempts, elapsedMs: now - started };
    // A streak under way may finish past the poll budget (never past the check's deadline): the state
    // already looks right, and a slow sample must not turn a correct step into "not yet". At most
    // passesInARow - 1 extra samples, since any bad one ends the streak.
    const finishing = streak > 0 && now + interval < (options.deadline ?? Infinity);
    if (now + interval >= stopAt && !finishing) return { ok: false, value, attempts, elapsedMs: now - started };
    try {
      await delay(interval, undefined, { signal: options.signal });
    } catch {
      throw abortError(options.signal);
    }
  }
}

function abortError(signal: AbortSignal | undefined): CheckRunError {
  const reason: unknown = signal?.reason;
  if (reason instanceof CheckRunError) return reason;
  return new CheckRunError('timeout', 'the check was cancelled before it finished');
}
