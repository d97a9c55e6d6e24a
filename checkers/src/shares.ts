/** Standard deviation of an observed share over n trials when the true share is p. */
export function shareSigma(n: number, p: number): number {
  if (n <= 0) return 0;
  return Math.sqrt((p * (1 - p)) / n);
}

/**
 * True when `observed` (a share in 0..1 over n requests) is within ±3σ of the configured share p.
 * A share of exactly 0 or 1 has σ = 0, so it must be hit exactly (a version with weight 0 must
 * appear 0 times), as docs/check-probes.md says.
 */
export function withinThreeSigma(observed: number, n: number, p: number): boolean {
  const margin = 3 * shareSigma(n, p);
  return Math.abs(observed - p) <= margin + 1e-9;
}

/** "50 % ± 10.6" style text for expected values in assertions. */
export function describeShare(p: number, n: number): string {
  const margin = 3 * shareSigma(n, p) * 100;
  const pct = Math.round(p * 1000) / 10;
  return margin > 0 ? `${pct} % ± ${margin.toFixed(1)} (n = ${n})` : `${pct} % (n = ${n})`;
}

/** Weights of route destinations normalised to shares (relative weights: 1/1 = 50/50; none = 100 %). */
export function normaliseWeights(weights: Array<number | undefined>): number[] {
  if (weights.length === 1) return [1];
  const values = weights.map((w) => w ?? 0);
  const total = values.reduce((a, b) => a + b, 0);
  if (total <= 0) return values.map(() => 0);
  return values.map((w) => w / total);
}
