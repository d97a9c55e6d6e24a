import {
  defineCheck,
  finding,
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
    const attempts = finding('L07.RETRY_ATTEMPTS');
    if (!retries || (retries.attempts ?? 0) < 2) {
      out.push(
        attempts.fail({
          expected: 'retries.attempts ≥ 2 (lesson: 3)',
          actual: !retries ? 'no retries block' : `attempts: ${retries.attempts ?? 0}`,
          ...(retries && (retries.attempts ?? 0) === 0 ? { hint: 'zero' } : {}),
          next,
          path,
        }),
      );
      return out;
    }
    out.push(attempts.pass({ actual: `attempts: ${retries.attempts}`, path }));
    const on = finding('L07.RETRY_ON');
    if (!retriesOn500(retries.retryOn)) {
      out.push(
        on.fail({
          expected: 'retryOn containing 5xx (or the status code 500)',
          actual:
            retries.retryOn === undefined
              ? 'retryOn not set (default conditions do not include 500)'
              : `retryOn: ${retries.retryOn}`,
          ...((retries.retryOn ?? '').includes('retriable-status-codes') ? { hint: 'codesNotListed' } : {}),
          next,
          path,
        }),
      );
      return out;
    }
    out.push(on.pass({ actual: `retryOn: ${retries.retryOn}`, path }));

    // Counted from before the check's own calls: totals left by an earlier attempt (one where curl still
    // had its sidecar, say) would otherwise show retries this attempt never made.
    const base = {
      dest: await promBaseline(ctx, destination500s),
      src: await promBaseline(ctx, source500s),
      srcAll: await promBaseline(ctx, sourceAll),
    };
    const t = await runUnstableLoop(ctx);
    const share = t.total > 0 ? t.ok / t.total : 0;
    const success = finding('L07.RETRY_SUCCESS');
    out.push(
      share >= 0.85
        ? success.pass({ expected: '≥ 85% (≈ 94% with 3 retries)', actual: describeTally(t) })
        : success.fail({
            expected: '≥ 85% (≈ 94% with 3 retries)',
            actual: describeTally(t),
            ...(http[ci]!.fault?.abort ? { hint: 'abortOnRoute' } : {}),
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
    const retried = finding('L07.PROM_RETRIED_500S');
    const seconds = Math.round(res.elapsedMs / 1000);
    const moved = (b: PromBaseline, d: number) => `${b.before} → ${b.before + d} (${d < 0 ? d : `+${d}`})`;
    out.push(
      res.ok
        ? retried.pass({ actual: `destination +${res.value.dest} > source +${res.value.src} since this check's calls` })
        : retried.fail({
            expected: "more destination-reported than source-reported 500s added by this check's calls",
            actual: `since this check's calls (waited ${seconds} s): destination ${moved(base.dest, res.value.dest)}, source ${moved(base.src, res.value.src)}${res.value.srcAll <= 0 ? '; none of them client-reported' : ''}`,
            ...(res.value.srcAll <= 0 && res.value.dest > 0 ? { hint: 'noClientSidecar' } : {}),
            next: `kubectl -n istio-system port-forward svc/prometheus 9090 # query: ${destination500s}`,
          }),
    );
    return out;
  },
});
