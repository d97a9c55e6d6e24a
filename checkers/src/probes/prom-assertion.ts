import { finding, pollBudgets, type Assertion, type CheckContext } from '../check-api';

/** Sum of every sample an instant query returned (0 when Prometheus has none yet). */
export async function promSum(ctx: Pick<CheckContext, 'probes'>, query: string): Promise<number> {
  const samples = await ctx.probes.prom(query);
  return samples.reduce((a, s) => a + (Number.isFinite(s.value) ? s.value : 0), 0);
}

const scrapeNote = 'Prometheus scrapes every 15 s; if you just sent the traffic, wait a minute and check again.';
const lagNote = 'Prometheus scrapes every 15 s; if it was only slow, wait a minute and check again.';
const portForward = (query: string) =>
  `kubectl -n istio-system port-forward svc/prometheus 9090 # then query: ${query}`;

/**
 * Polls a PromQL query (scrape lag: up to 60 s) until its summed value exceeds `above`.
 * Counters only grow, so this also passes on series an earlier attempt left behind: use it only where
 * the check sends no traffic of its own and has to rely on the learner's. A check that sends the
 * traffic itself uses promBaseline + promRoseAssertion instead.
 */
export async function promAboveAssertion(
  ctx: Pick<CheckContext, 'probes' | 'poll'>,
  f: ReturnType<typeof finding>,
  o: { query: string; above?: number; next?: string },
): Promise<Assertion> {
  const above = o.above ?? 0;
  const res = await ctx.poll(() => promSum(ctx, o.query), { until: (v) => v > above, ...pollBudgets.prometheus });
  const expected = `${o.query} > ${above}`;
  if (res.ok) return f.pass({ expected, actual: String(res.value) });
  const failed = f.fail({ expected, actual: `${res.value} after ${Math.round(res.elapsedMs / 1000)} s`, next: o.next ?? portForward(o.query) });
  return { ...failed, hint: `${failed.hint ?? ''} ${scrapeNote}`.trim() };
}

/** A counter query and its summed value before the check sent its own requests. */
export interface PromBaseline {
  query: string;
  before: number;
}

/**
 * Reads `query` before the check's own requests (absent = 0). Afterwards promRoseAssertion asks
 * whether those requests were counted, which old series from an earlier attempt cannot fake.
 * Not increase(): for a series that did not exist yet, its first sample already holds the count and
 * increase() over it is 0, so exactly the first successful attempt would fail.
 */
export async function promBaseline(ctx: Pick<CheckContext, 'probes'>, query: string): Promise<PromBaseline> {
  return { query, before: await promSum(ctx, query) };
}

/** How the value moved since the baseline, in the learner's terms (the failing `actual`). */
export function describeNoRise(before: number, after: number, elapsedMs: number): string {
  const secs = `${Math.round(elapsedMs / 1000)} s`;
  const head = `${before} before this check's requests`;
  if (after === before) return `${head}, still ${after} after ${secs}`;
  // Lower than before: a restarted proxy starts its counters again at 0.
  return `${head}, ${after} after ${secs} (lower: a pod restarted meanwhile? run the check again)`;
}

/**
 * Polls the baseline's query (scrape lag: up to 60 s) until it exceeds the value read before the
 * check's requests, and turns the outcome into one assertion.
 */
export async function promRoseAssertion(
  ctx: Pick<CheckContext, 'probes' | 'poll'>,
  base: PromBaseline,
  f: ReturnType<typeof finding>,
  o: { next?: string; hint?: string } = {},
): Promise<Assertion> {
  const res = await ctx.poll(() => promSum(ctx, base.query), {
    until: (v) => v > base.before,
    ...pollBudgets.prometheus,
  });
  const expected = `${base.query} above ${base.before} (its value before this check's requests)`;
  if (res.ok) return f.pass({ expected, actual: `${base.before} before this check's requests, ${res.value} after` });
  const failed = f.fail({ expected, actual: describeNoRise(base.before, res.value, res.elapsedMs), next: o.next ?? portForward(base.query), ...(o.hint ? { hint: o.hint } : {}) });
  // The catalogue says what is wrong; the scrape-lag note applies to every counter this helper polls.
  return { ...failed, hint: `${failed.hint ?? ''} ${lagNote}`.trim() };
}
