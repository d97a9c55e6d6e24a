import { fail, pass, pollBudgets, type Assertion, type CheckContext } from '../check-api';

/** Sum of every sample an instant query returned (0 when Prometheus has none yet). */
export async function promSum(ctx: Pick<CheckContext, 'probes'>, query: string): Promise<number> {
  const samples = await ctx.probes.prom(query);
  return samples.reduce((a, s) => a + (Number.isFinite(s.value) ? s.value : 0), 0);
}

/**
 * Polls a PromQL query (scrape lag: up to 60 s) until its summed value exceeds `above`, and turns the
 * outcome into one assertion. The hint tells the learner to wait, not redo, when the series is late.
 */
export async function promAboveAssertion(
  ctx: Pick<CheckContext, 'probes' | 'poll'>,
  o: { code: string; title: string; query: string; above?: number; hint: string; next?: string },
): Promise<Assertion> {
  const above = o.above ?? 0;
  const res = await ctx.poll(() => promSum(ctx, o.query), { until: (v) => v > above, ...pollBudgets.prometheus });
  const expected = `${o.query} > ${above}`;
  return res.ok
    ? pass(o.code, o.title, { expected, actual: String(res.value) })
    : fail(o.code, o.title, {
        expected,
        actual: `${res.value} after ${Math.round(res.elapsedMs / 1000)} s`,
        hint: `${o.hint} Prometheus scrapes every 15 s; if you just sent the traffic, wait a minute and check again.`,
        next: o.next ?? `kubectl -n istio-system port-forward svc/prometheus 9090 # then query: ${o.query}`,
      });
}
