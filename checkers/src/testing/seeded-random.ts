/**
 * Deterministic PRNG (mulberry32) for the test doubles, so weighted shares, /unstable failures and
 * fault percentages are reproducible run to run: a test that passes once passes every time.
 */
export function seededRandom(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
