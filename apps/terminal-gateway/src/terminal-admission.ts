// Admission of new terminals: a cap on live ones and a rate of new ones per second (a token bucket
// whose burst equals the rate). Re-attaching and observing never pass through here.

export type AdmissionVerdict = { ok: true } | { ok: false; reason: 'full' | 'rate'; retryAfterSeconds: number; message: string };

export interface AdmissionPolicy {
  maxTerminals: number;
  newPerSecond: number;
  /** The hint given when the cap of live terminals is reached (nobody knows when one ends). */
  fullRetrySeconds?: number;
}

export class TerminalAdmission {
  private tokens: number;
  private lastRefillMs: number;

  constructor(
    private readonly policy: AdmissionPolicy,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = policy.newPerSecond;
    this.lastRefillMs = now();
  }

  /** What `admit` would answer about the cap of live terminals, without taking a slot (preflight). */
  peek(liveTerminals: number): AdmissionVerdict {
    if (liveTerminals < this.policy.maxTerminals) return { ok: true };
    const retryAfterSeconds = this.policy.fullRetrySeconds ?? 30;
    return { ok: false, reason: 'full', retryAfterSeconds, message: platformFullMessage(retryAfterSeconds) };
  }

  /**
   * Takes one slot for a new terminal, given how many are live (or being started) now, as of when
   * its request arrived (default now): the bucket refills only up to that time, so a burst that
   * arrived together gets the burst size in however long handling it takes.
   */
  admit(liveTerminals: number, arrivedAtMs?: number): AdmissionVerdict {
    const full = this.peek(liveTerminals);
    if (!full.ok) return full;
    this.refill(arrivedAtMs);
    if (this.tokens < 1) {
      const retryAfterSeconds = Math.max(1, Math.ceil((1 - this.tokens) / this.policy.newPerSecond));
      return { ok: false, reason: 'rate', retryAfterSeconds, message: platformFullMessage(retryAfterSeconds) };
    }
    this.tokens -= 1;
    return { ok: true };
  }

  private refill(atMs?: number): void {
    // Never past now; a request that arrived before the last refill refills nothing (arrivals
    // are handled out of order when an earlier one waited longer).
    const at = Math.min(atMs ?? Infinity, this.now());
    if (at <= this.lastRefillMs) return;
    this.tokens = Math.min(this.policy.newPerSecond, this.tokens + ((at - this.lastRefillMs) / 1000) * this.policy.newPerSecond);
    this.lastRefillMs = at;
  }
}

/** Short enough for a WebSocket close reason (at most 123 bytes). */
export function platformFullMessage(retryAfterSeconds: number): string {
  return `the platform is full, try again in ${retryAfterSeconds} s`;
}
