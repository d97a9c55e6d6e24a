import { pollBudgets, type CheckContext } from '../../check-api';

export const labId = 'l16-metrics-prometheus';

/** Server-side counts (reporter destination): one series per request as the receiving sidecar saw it. */
export const productpageCount = 'sum(istio_requests_total{reporter="destination",destination_service_name="productpage"})';
export const reviewsSeries = 'istio_requests_total{reporter="destination",destination_service_name="reviews"}';

/** Sums the samples of an instant query per value of one label ("" when a series lacks it). */
export async function sumBy(ctx: Pick<CheckContext, 'probes'>, query: string, label: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const s of await ctx.probes.prom(query)) {
    const key = s.metric[label] ?? '';
    out.set(key, (out.get(key) ?? 0) + (Number.isFinite(s.value) ? s.value : 0));
  }
  return out;
}

export const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

/** Page loads through the ingress gateway, as the learner's loop sends them. */
export async function loadPages(ctx: Pick<CheckContext, 'probes'>, n: number): Promise<number> {
  let ok = 0;
  for (let i = 0; i < n; i++) if ((await ctx.probes.ing({ path: '/productpage' })).status === 200) ok++;
  return ok;
}

/** Polls a per-label count until its total has grown by at least `rise` over `before` (scrape lag). */
export async function waitForRise(ctx: CheckContext, query: string, label: string, before: Map<string, number>, rise: number) {
  return ctx.poll(() => sumBy(ctx, query, label), { ...pollBudgets.prometheus, until: (now) => total(now) - total(before) >= rise });
}
