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

/**
 * Which catalogue hint (one of `externalCallHints`) names what a failed call most likely means;
 * render it with `{ httpCode }`.
 */
export function callHint(r: CurlResult): 'noDns' | 'blocked' | 'noAnswer' | 'unexpected' {
  if (r.curlExitCode === 6) return 'noDns';
  if (r.httpCode === 502) return 'blocked';
  if (r.httpCode === 0) return 'noAnswer';
  return 'unexpected';
}
