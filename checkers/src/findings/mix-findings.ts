import type { Assertion } from '../check-result';
import { finding } from '../catalogue/findings';
import { pollBudgets, type CheckContext } from '../check-api';
import type { MixOptions, MixResult, ReviewsVersion } from '../probes';
import { describeMix } from '../probes/reviews-mix';
import { formatPercent } from '../istio/rules/route-weights';
import { describeShare, withinThreeSigma } from '../shares';

const versions: ReviewsVersion[] = ['v1', 'v2', 'v3'];

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
 * One finding per version: observed share within ±3σ of the target (docs/check-probes.md), a version with
 * target 0 seen 0 times. Non-200 answers fail separately (MESH.MIX_ERRORS): they usually mean a subset.
 */
export function mixShareFindings(m: MixResult, target: Record<ReviewsVersion, number>, o: { hint?: 'promote'; next: string }): Assertion[] {
  const out: Assertion[] = [];
  if (mixFailures(m) > 0 || m.answered === 0) {
    out.push(finding('MESH.MIX_ERRORS').fail({ expected: `HTTP 200 from reviews for all ${m.sent} requests`, actual: describeMix(m), next: 'istioctl analyze -n default' }));
  }
  const n = m.answered;
  const targetText = versions.filter((v) => target[v] > 0).map((v) => `${formatPercent(target[v])} to ${v}`).join(' and ');
  for (const v of versions) {
    const p = target[v];
    const ok = n > 0 && withinThreeSigma(m.counts[v] / n, n, p);
    const f = finding('MESH.MIX_SHARE', { version: v, share: formatPercent(p), target: targetText });
    out.push(ok ? f.pass({ expected: describeShare(p, n), actual: describeMix(m) }) : f.fail({ expected: describeShare(p, Math.max(n, 1)), actual: describeMix(m), next: o.next, hint: o.hint }));
  }
  return out;
}
