import {
  defineCheck,
  fail,
  pass,
  pollBudgets,
  type Assertion,
  catchAllIndex,
  kindRef,
  readRoutedService,
  type VirtualService,
} from '../../check-api';
import { promBaseline, promSum, type PromBaseline } from '../../probes/prom-assertion';
import { describeTally, runUnstableLoop } from './unstable-loop';

const vsRef = (vs: VirtualService) => kindRef('VirtualService', vs);

/** retryOn values that make Envoy retry a plain 500 (a bare status code makes istiod add retriable-status-codes). */
export function retriesOn500(retryOn: string | undefined): boolean {
  const parts = (retryOn ?? '').split(',').map((p) => p.trim());
  return parts.includes('5xx') || parts.includes('500');
}

const destination500s =
  'sum(istio_requests_total{reporter="destination",destination_service_name="httpbin",destination_service_namespace="intro",response_code="500"})';
const source500s =
  'sum(istio_requests_total{reporter="source",destination_service_name="httpbin",destination_service_namespace="intro",response_code="500"})';
/** Any client-reported call: without it the curl pod has no sidecar, and "more 500s at httpbin" proves nothing. */
const sourceAll =
  'sum(istio_requests_total{reporter="source",destination_service_name="httpbin",destination_service_namespace="intro"})';

/** What a counter gained since its baseline (negative after a proxy restart; never enough to pass). */
async function gained(ctx: Parameters<typeof promSum>[0], base: PromBaseline): Promise<number> {
  return (await promSum(ctx, base.query)) - base.before;
}

/**
 * Step 5: VS httpbin retries 500s (attempts ≥ 2, retryOn 5xx or a listed 500); then ≥ 85 % of 100 calls
 * succeed, and of the check's own calls httpbin's sidecar has seen more 500s than the client reported
 * (the retried ones).
 */
export const addRetries = defineCheck({
  labId: 'l07-timeouts-retries',
  stepId: 'add-retries',
  kind: 'telemetry',
  async run(ctx) {
    const routed = await readRoutedService(ctx, {
      code: 'L07.VS',
      service: 'httpbin',
      namespace: 'intro',
      missingHint: 'httpbinRetries',
    });
    const out: Assertion[] = [...routed.assertions];
    const vs = routed.vs;
    if (!vs) return out;
    const http = vs.spec.http ?? [];
    const ci = catchAllIndex(http);
    const retries = ci >= 0 ? http[ci]!.retries : undefined;
    const path = `${vsRef(vs)} .spec.http[${Math.max(ci, 0)}].retries`;
    const next = `kubectl get virtualservice -n ${vs.metadata.namespace} ${vs.metadata.name} -o yaml`;
    const attemptsTitle = 'failed calls are retried at least twice';
    if (!retries || (retries.attempts ?? 0) < 2) {
      out.push(
        fail('L07.RETRY_ATTEMPTS', attemptsTitle, {
          expected: 'retries.attempts ≥ 2 (lesson: 3)',
          actual: !retries ? 'no retries block' : `attempts: ${retries.attempts ?? 0}`,
          hint:
            retries && (retries.attempts ?? 0) === 0
              ? '`attempts: 0` disables retries entirely. Use 3.'
              : 'Add `retries: {attempts: 3, perTryTimeout: 2s, retryOn: 5xx}` to the httpbin route.',
          next,
          path,
        }),
      );
      return out;
    }
    out.push(pass('L07.RETRY_ATTEMPTS', attemptsTitle, { actual: `attempts: ${retries.attempts}`, path }));
    const onTitle = 'retries fire on HTTP 500';
    if (!retriesOn500(retries.retryOn)) {
      out.push(
        fail('L07.RETRY_ON', onTitle, {
          expected: 'retryOn containing 5xx (or the status code 500)',
          actual:
            retries.retryOn === undefined
              ? 'retryOn not set (default conditions do not include 500)'
              : `retryOn: ${retries.retryOn}`,
          hint: (retries.retryOn ?? '').includes('retriable-status-codes')
            ? '`retriable-status-codes` needs the codes themselves: write `retryOn: 5xx` or `retryOn: retriable-status-codes,500`.'
            : 'connect-failure / gateway-error do not cover a plain 500. Use `retryOn: 5xx`.',
          next,
          path,
        }),
      );
      return out;
    }
    out.push(pass('L07.RETRY_ON', onTitle, { actual: `retryOn: ${retries.retryOn}`, path }));

    // Counted from before the check's own calls: totals left by an earlier attempt (one where curl still
    // had its sidecar, say) would otherwise show retries this attempt never made.
    const base = {
      dest: await promBaseline(ctx, destination500s),
      src: await promBaseline(ctx, source500s),
      srcAll: await promBaseline(ctx, sourceAll),
    };
    const t = await runUnstableLoop(ctx);
    const share = t.total > 0 ? t.ok / t.total : 0;
    const successTitle = 'with retries at least 85% of calls to /unstable succeed';
    out.push(
      share >= 0.85
        ? pass('L07.RETRY_SUCCESS', successTitle, {
            expected: '≥ 85% (≈ 94% with 3 retries)',
            actual: describeTally(t),
          })
        : fail('L07.RETRY_SUCCESS', successTitle, {
            expected: '≥ 85% (≈ 94% with 3 retries)',
            actual: describeTally(t),
            hint: http[ci]!.fault?.abort
              ? 'The route also injects an abort: the fault filter answers before the router, so retries on the same hop never see it. Remove the `fault` from the httpbin route.'
              : 'The policy is in the VirtualService but calls still fail: give the sidecars a few seconds, and make sure the curl pod has a sidecar (retries happen in the client proxy).',
            next: 'istioctl proxy-status',
          }),
    );
    // Prometheus lags a scrape (httpbin's and curl's pods apart); wait until, among this check's calls,
    // httpbin's side shows more 500s than the clients were told about.
    const res = await ctx.poll(
      async () => ({
        dest: await gained(ctx, base.dest),
        src: await gained(ctx, base.src),
        srcAll: await gained(ctx, base.srcAll),
      }),
      { until: (v) => v.srcAll > 0 && v.dest > v.src, ...pollBudgets.prometheus },
    );
    const promTitle = "of this check's calls, httpbin saw more 500s than its clients received (the retried ones)";
    const seconds = Math.round(res.elapsedMs / 1000);
    const moved = (b: PromBaseline, d: number) => `${b.before} → ${b.before + d} (${d < 0 ? d : `+${d}`})`;
    out.push(
      res.ok
        ? pass('L07.PROM_RETRIED_500S', promTitle, {
            actual: `destination +${res.value.dest} > source +${res.value.src} since this check's calls`,
          })
        : fail('L07.PROM_RETRIED_500S', promTitle, {
            expected: "more destination-reported than source-reported 500s added by this check's calls",
            actual: `since this check's calls (waited ${seconds} s): destination ${moved(base.dest, res.value.dest)}, source ${moved(base.src, res.value.src)}${res.value.srcAll <= 0 ? '; none of them client-reported' : ''}`,
            hint:
              res.value.srcAll <= 0 && res.value.dest > 0
                ? "Only httpbin's sidecar reports these calls: the curl pod has no sidecar, so nothing retries (retries happen in the client proxy). Restart curl so it gets one: `kubectl rollout restart deploy/curl -n intro`."
                : 'No retried 500 shows in Prometheus yet. It scrapes every 15 s; wait a minute and check again.',
            next: `kubectl -n istio-system port-forward svc/prometheus 9090 # query: ${destination500s}`,
          }),
    );
    return out;
  },
});
