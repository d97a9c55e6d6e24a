import {
  describeShare,
  fail,
  pass,
  pollBudgets,
  withinThreeSigma,
  type Assertion,
  type CheckContext,
  type MixOptions,
  type MixResult,
  type ReviewsVersion,
} from '../check-api';

const versions: ReviewsVersion[] = ['v1', 'v2', 'v3'];

export function describeMix(m: MixResult): string {
  const parts = versions.map((v) => `${v} ${m.counts[v]}`);
  const failed = Object.entries(m.failures).filter(([, n]) => n > 0);
  if (m.unknown > 0) parts.push(`unknown pod ${m.unknown}`);
  if (failed.length > 0) parts.push(`errors ${failed.map(([code, n]) => `${code === '0' ? 'no answer' : `HTTP ${code}`}×${n}`).join(', ')}`);
  return `${parts.join(', ')} of ${m.sent} requests`;
}

export function mixFailures(m: MixResult): number {
  return Object.values(m.failures).reduce((a, b) => a + b, 0);
}

/**
 * Waits (bounded, small samples) until the ingress shows traffic that looks propagated, then takes the
 * judged sample. Small samples keep the total under a few hundred requests even when config never arrives.
 */
export async function mixAfterPropagation(
  ctx: Pick<CheckContext, 'poll' | 'probes'>,
  o: { finalN: number; looksPropagated: (m: MixResult) => boolean; options?: MixOptions },
): Promise<{ propagated: boolean; final: MixResult }> {
  const waited = await ctx.poll(() => ctx.probes.mix(10, o.options), {
    until: o.looksPropagated,
    timeoutMs: pollBudgets.propagation.timeoutMs,
    intervalMs: 2_000,
    passesInARow: 1,
  });
  const final = await ctx.probes.mix(o.finalN, o.options);
  return { propagated: waited.ok, final };
}

/**
 * One assertion per version: observed share within ±3σ of the target (CURRICULUM 2.0), a version with
 * target 0 seen 0 times. Non-200 answers fail separately, since they usually mean a missing subset.
 */
export function mixShareAssertions(
  lab: string,
  m: MixResult,
  target: Record<ReviewsVersion, number>,
  hintWhenOff: string,
  next: string,
): Assertion[] {
  const out: Assertion[] = [];
  const errors = mixFailures(m);
  if (errors > 0 || m.answered === 0) {
    out.push(
      fail(`${lab}.MIX_ERRORS`, 'every request through the ingress is answered by reviews', {
        expected: `HTTP 200 from reviews for all ${m.sent} requests`,
        actual: describeMix(m),
        hint: 'Requests failed. 503 right after an apply usually means a routed subset is missing from the DestinationRule or selects no pod (IST0101 / IST0173).',
        next: 'istioctl analyze -n default',
      }),
    );
  }
  const n = m.answered;
  for (const v of versions) {
    const p = target[v];
    const observed = n > 0 ? m.counts[v] / n : 0;
    const ok = n > 0 && withinThreeSigma(observed, n, p);
    const title = p === 0 ? `reviews ${v} receives no traffic` : `reviews ${v} receives ${Math.round(p * 100)}% of traffic`;
    out.push(
      ok
        ? pass(`${lab}.MIX_${v.toUpperCase()}`, title, { expected: describeShare(p, n), actual: describeMix(m) })
        : fail(`${lab}.MIX_${v.toUpperCase()}`, title, {
            expected: describeShare(p, Math.max(n, 1)),
            actual: describeMix(m),
            hint: hintWhenOff,
            next,
          }),
    );
  }
  return out;
}
