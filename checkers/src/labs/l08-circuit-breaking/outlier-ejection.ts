import {
  defineCheck,
  finding,
  hasIstioProxy,
  livePods,
  pollBudgets,
  type Assertion,
  type CheckContext,
  type CurlResult,
  kindRef,
} from '../../check-api';
import { httpbinDestinationRule } from './httpbin-destination-rule';

const ejected = (r: CurlResult) => r.httpCode === 503 && r.body.includes('no healthy upstream');

const settingsText =
  'outlierDetection on the httpbin DestinationRule: consecutive5xxErrors: 1, interval: 1s, baseEjectionTime: 3m, maxEjectionPercent: 100 (and no minHealthPercent)';

/** Why httpbin was not ejected: a named hint of L08.OUTLIER_EJECTED, its parameters and the command to look with. */
interface NotEjectedCause {
  hint: string;
  params: Record<string, string>;
  next: string;
}

/**
 * Why one 500 did not eject httpbin, read from the cluster: the probe alone only sees "/get still 200".
 * Ejection happens in the caller's sidecar, under the DR that resolves to httpbin.intro.
 */
async function notEjectedCause(ctx: Pick<CheckContext, 'cluster'>): Promise<NotEjectedCause> {
  const curlPod = livePods(await ctx.cluster.pods('intro', 'app=curl'))[0];
  if (curlPod && !hasIstioProxy(curlPod)) {
    return { hint: 'noClientSidecar', params: {}, next: 'kubectl -n intro rollout restart deploy/curl' };
  }
  const found = await httpbinDestinationRule(ctx, 'noOutlier');
  const dr = found.object;
  if (!dr) {
    const why = found.assertions.find((a) => a.status === 'fail');
    return { hint: 'noDestinationRule', params: { why: why?.hint ?? settingsText }, next: 'kubectl get destinationrule -A' };
  }
  const drRef = kindRef('DestinationRule', dr);
  const next = `kubectl get destinationrule -n ${dr.metadata.namespace} ${dr.metadata.name} -o yaml`;
  const od = dr.spec.trafficPolicy?.outlierDetection as Record<string, unknown> | undefined;
  if (!od) {
    const onSubset = (dr.spec.subsets ?? []).some((s) => s.trafficPolicy?.outlierDetection);
    return { hint: onSubset ? 'onSubset' : 'noOutlierDetection', params: { dr: drRef, settings: settingsText }, next };
  }
  // Each setting that keeps the only endpoint in the pool, as "what is set, and why it matters".
  const problems: string[] = [];
  const errors = od['consecutive5xxErrors'] ?? od['consecutiveErrors'];
  if (errors !== 1)
    problems.push(
      `consecutive5xxErrors is ${errors === undefined ? 'unset (default 5)' : String(errors)}, so one 500 is not enough`,
    );
  const maxPercent = od['maxEjectionPercent'];
  if (typeof maxPercent !== 'number' || maxPercent < 100)
    problems.push(`maxEjectionPercent is ${maxPercent ?? 'unset (default 10)'}; the only endpoint needs 100`);
  const minHealth = od['minHealthPercent'];
  if (typeof minHealth === 'number' && minHealth > 0)
    problems.push(
      `minHealthPercent ${minHealth} makes Envoy ignore the ejection once the only endpoint is out (panic mode); remove it`,
    );
  return problems.length
    ? { hint: 'settings', params: { problems: problems.join('; ') }, next }
    : { hint: 'notPushedYet', params: { dr: drRef, settings: settingsText }, next: 'istioctl proxy-status' };
}

/**
 * Step 4 (stretch): from the curl pod, one call to /status/500 makes its sidecar eject httpbin
 * (consecutive5xxErrors 1, maxEjectionPercent 100); the next /get gets 503 "no healthy upstream" (UH).
 * Relies on istiod disabling Envoy's panic threshold when minHealthPercent is unset (to verify on a real cluster).
 */
export const outlierEjection = defineCheck({
  labId: 'l08-circuit-breaking',
  stepId: 'outlier-ejection',
  kind: 'probe',
  async run(ctx) {
    const out: Assertion[] = [];
    const trigger = await ctx.probes.curl('intro', 'app=curl', {
      url: 'http://httpbin:8000/status/500',
      maxTimeSeconds: 5,
    });
    const res = await ctx.poll(
      () => ctx.probes.curl('intro', 'app=curl', { url: 'http://httpbin:8000/get', maxTimeSeconds: 5 }),
      {
        until: ejected,
        timeoutMs: 5_000,
        intervalMs: pollBudgets.propagation.intervalMs,
        passesInARow: 1,
      },
    );
    const r = res.value;
    if (res.ok) {
      out.push(
        finding('L08.OUTLIER_EJECTED').pass({
          actual: `HTTP 503 no healthy upstream (after /status/500 → ${trigger.httpCode})`,
        }),
      );
      return out;
    }
    const unreachable = trigger.httpCode !== 500 && trigger.httpCode !== 503;
    const cause = unreachable
      ? { hint: 'unreachable', params: {}, next: 'kubectl get pods -n intro' }
      : await notEjectedCause(ctx);
    out.push(
      finding('L08.OUTLIER_EJECTED', cause.params).fail({
        expected: '/get → 503 "no healthy upstream" right after /status/500',
        actual: `/status/500 → ${trigger.httpCode}, then /get → ${r.httpCode}${r.body ? ` ${r.body.slice(0, 60)}` : ''}`,
        hint: cause.hint,
        next: cause.next,
      }),
    );
    return out;
  },
});
