/**
 * Limits how many anonymous learners one client address may create: a bucket of `perMinute`
 * new learners per address, refilled evenly. Each new learner costs an environment and shells,
 * so a script without cookies must not mint them by the hundred.
 */
export class NewLearnerLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one learner from the address's bucket: undefined if allowed, else seconds until one is. */
  take(address: string): number | undefined {
    const now = this.now();
    const refillPerMs = this.perMinute / 60_000;
    const bucket = this.buckets.get(address) ?? { tokens: this.perMinute, at: now };
    const tokens = Math.min(this.perMinute, bucket.tokens + (now - bucket.at) * refillPerMs);
    if (tokens < 1) {
      this.buckets.set(address, { tokens, at: now });
      return Math.max(1, Math.ceil((1 - tokens) / refillPerMs / 1000));
    }
    this.buckets.set(address, { tokens: tokens - 1, at: now });
    if (this.buckets.size > 10_000) this.forgetFull(now, refillPerMs);
    return undefined;
  }

  // An address whose bucket has refilled is the same as one never seen.
  private forgetFull(now: number, refillPerMs: number): void {
    for (const [address, b] of this.buckets) if (b.tokens + (now - b.at) * refillPerMs >= this.perMinute) this.buckets.delete(address);
  }
}

/**
 * The client address of a request, as the portal's server (server.mjs) recorded it: the socket's
 * address, or with PORTAL_TRUST_FORWARDED_FOR=1 the address the reverse proxy appended last.
 */
export function clientAddress(headers: Headers): string {
  return headers.get('x-forwarded-for')?.split(',').at(-1)?.trim() || 'unknown';
}
