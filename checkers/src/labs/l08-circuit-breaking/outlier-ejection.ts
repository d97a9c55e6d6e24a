import {
  defineCheck,
  fail,
  hasIstioProxy,
  livePods,
  pass,
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

/**
 * Why one 500 did not eject httpbin, read from the cluster: the probe alone only sees "/get still 200".
 * Ejection happens in the caller's sidecar, under the DR that resolves to httpbin.intro.
 */
async function notEjectedCause(ctx: Pick<CheckContext, 'cluster'>): Promise<{ hint: string; next: string }> {
  const curlPod = livePods(await ctx.cluster.pods('intro', 'app=curl'))[0];
  if (curlPod && !hasIstioProxy(curlPod)) {
    return {
      hint: "The curl pod has no istio-proxy, so nothing on the caller side tracks httpbin's errors. Outlier detection runs in the client's sidecar: restart curl in the injected namespace intro.",
      next: 'kubectl -n intro rollout restart deploy/curl',
    };
  }
  const found = await httpbinDestinationRule(ctx, 'noOutlier');
  const dr = found.object;
  if (!dr) {
    const why = found.assertions.find((a) => a.status === 'fail');
    return { hint: `httpbin was not ejected. ${why?.hint ?? settingsText}`, next: 'kubectl get destinationrule -A' };
  }
  const next = `kubectl get destinationrule -n ${dr.metadata.namespace} ${dr.metadata.name} -o yaml`;
  const od = dr.spec.trafficPolicy?.outlierDetection as Record<string, unknown> | undefined;
  if (!od) {
    const onSubset = (dr.spec.subsets ?? []).some((s) => s.trafficPolicy?.outlierDetection);
    return {
      hint: onSubset
        ? `${kindRef('DestinationRule', dr)} has outlierDetection only under a subset, which applies to routes naming that subset; the plain call to httpbin uses spec.trafficPolicy. Move it there.`
        : `${kindRef('DestinationRule', dr)} has no outlierDetection. Set ${settingsText}.`,
      next,
    };
  }
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
  return {
    hint: problems.length
      ? `httpbin was not ejected: ${problems.join('; ')}.`
      : `httpbin was not ejected although ${kindRef('DestinationRule', dr)} looks right: the curl sidecar may not have the new configuration yet. Wait a few seconds and check again (${settingsText}).`,
    next: problems.length ? next : 'istioctl proxy-status',
  };
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
    const title = 'after one 500, httpbin is ejected: /get answers 503 "no healthy upstream"';
    const r = res.value;
    if (res.ok) {
      out.push(
        pass('L08.OUTLIER_EJECTED', title, {
          actual: `HTTP 503 no healthy upstream (after /status/500 → ${trigger.httpCode})`,
        }),
      );
      return out;
    }
    const unreachable = trigger.httpCode !== 500 && trigger.httpCode !== 503;
    const cause = unreachable
      ? {
          hint: 'The curl pod could not reach httpbin at all; check the pods in namespace intro.',
          next: 'kubectl get pods -n intro',
        }
      : await notEjectedCause(ctx);
    out.push(
      fail('L08.OUTLIER_EJECTED', title, {
        expected: '/get → 503 "no healthy upstream" right after /status/500',
        actual: `/status/500 → ${trigger.httpCode}, then /get → ${r.httpCode}${r.body ? ` ${r.body.slice(0, 60)}` : ''}`,
        hint: cause.hint,
        next: cause.next,
      }),
    );
    return out;
  },
});
