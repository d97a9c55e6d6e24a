// One-time terminal tickets: the ids (`jti`) of tickets already used to open a WebSocket, kept
// until the ticket would have expired anyway, so a ticket copied from a URL or a log cannot be
// replayed. The preflight does not use a ticket up; the upgrade does.

export class UsedTicketCache {
  private readonly expiries = new Map<string, number>();

  constructor(private readonly maxEntries = 100_000) {}

  /** Marks `jti` used until `expiresAtSeconds`; false when it was already used. */
  use(jti: string, expiresAtSeconds: number, nowMs: number = Date.now()): boolean {
    this.prune(nowMs);
    const known = this.expiries.get(jti);
    if (known !== undefined && known * 1000 > nowMs) return false;
    if (this.expiries.size >= this.maxEntries) {
      // Full of unexpired tickets: drop the oldest entry rather than grow without bound.
      const oldest = this.expiries.keys().next().value;
      if (oldest !== undefined) this.expiries.delete(oldest);
    }
    this.expiries.set(jti, expiresAtSeconds);
    return true;
  }

  wasUsed(jti: string, nowMs: number = Date.now()): boolean {
    const known = this.expiries.get(jti);
    return known !== undefined && known * 1000 > nowMs;
  }

  get size(): number {
    return this.expiries.size;
  }

  // Insertion order is use order and lifetimes are similar, so expired entries sit at the front.
  private prune(nowMs: number): void {
    for (const [jti, expiry] of this.expiries) {
      if (expiry * 1000 > nowMs) break;
      this.expiries.delete(jti);
    }
  }
}
