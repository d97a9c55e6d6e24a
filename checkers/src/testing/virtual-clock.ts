/**
 * A clock over `Date.now` that tests move forward instead of sleeping: the mesh model "waits" a 6 s
 * page by advancing it, and the checker's own timing (which reads `Date.now`) sees the 6 s. Timers
 * are untouched, so polls still run on real time.
 */
export interface VirtualClock {
  advance(ms: number): void;
  restore(): void;
}

export function installVirtualClock(): VirtualClock {
  const real = Date.now;
  let skew = 0;
  Date.now = () => real.call(Date) + skew;
  return {
    advance(ms) {
      skew += Math.max(0, ms);
    },
    restore() {
      Date.now = real;
    },
  };
}
