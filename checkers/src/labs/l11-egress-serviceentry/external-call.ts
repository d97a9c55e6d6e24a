import { pollBudgets, type CheckContext, type CurlResult } from '../../check-api';

/** The fake external API: go-httpbin in ns `external`, made resolvable as api.example.com by the lab setup. */
export const externalHost = 'api.example.com';
export const externalUrl = `http://${externalHost}/get`;

/** One call from the curl pod of ns default (with sidecar) to the external host. */
export function callExternal(ctx: Pick<CheckContext, 'probes'>, path = '/get'): Promise<CurlResult> {
  return ctx.probes.curl('default', 'app=curl', { url: `http://${externalHost}${path}`, maxTimeSeconds: 10 });
}

/** Polls the call until `until` holds (config propagation, ≤ 20 s). */
export async function callExternalUntil(
  ctx: Pick<CheckContext, 'probes' | 'poll'>,
  until: (r: CurlResult) => boolean,
): Promise<{ ok: boolean; value: CurlResult }> {
  const res = await ctx.poll(() => callExternal(ctx), { until, ...pollBudgets.propagation, passesInARow: 1 });
  return { ok: res.ok, value: res.value };
}

export function describeCall(r: CurlResult): string {
  if (r.httpCode === 0) return `no HTTP answer (curl exit ${r.curlExitCode}${r.stderr ? `: ${r.stderr.trim()}` : ''}) from ${r.pod}`;
  return `HTTP ${r.httpCode} from ${r.pod}`;
}

/** What a failed call most likely means, in the learner's terms. */
export function callHint(r: CurlResult): string {
  if (r.curlExitCode === 6)
    return 'api.example.com does not resolve: the lab setup adds it to CoreDNS. Run the lab setup again.';
  if (r.httpCode === 502)
    return 'The sidecar answered 502 itself (route block_all, no upstream): outbound traffic is REGISTRY_ONLY and api.example.com is not registered.';
  if (r.httpCode === 0) return 'The call got no HTTP answer; is the fake external API running in namespace external?';
  return `Unexpected HTTP ${r.httpCode}.`;
}
