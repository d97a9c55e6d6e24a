import {
  defineCheck,
  finding,
  type Assertion,
  type CheckCode,
  type DestinationRule,
  kindRef,
} from '../../check-api';
import { httpbinDestinationRule } from './httpbin-destination-rule';
import { formatMs, parseIstioDuration } from '../../istio/istio-duration';

type Policy = NonNullable<DestinationRule['spec']['trafficPolicy']>;

interface Limit {
  code: CheckCode;
  field: string;
  read: (p: Policy) => number | undefined;
  ok: (v: number) => boolean;
  expected: string;
}

const msOf = (v: string | undefined) => parseIstioDuration(v);

const limits: Limit[] = [
  {
    code: 'L08.MAX_CONNECTIONS',
    field: 'connectionPool.tcp.maxConnections',
    read: (p) => p.connectionPool?.tcp?.maxConnections,
    ok: (v) => v >= 1 && v <= 1,
    expected: 'maxConnections: 1',
  },
  {
    code: 'L08.MAX_PENDING',
    field: 'connectionPool.http.http1MaxPendingRequests',
    read: (p) => p.connectionPool?.http?.http1MaxPendingRequests,
    ok: (v) => v >= 1 && v <= 1,
    expected: 'http1MaxPendingRequests: 1',
  },
  {
    code: 'L08.MAX_REQUESTS_PER_CONNECTION',
    field: 'connectionPool.http.maxRequestsPerConnection',
    read: (p) => p.connectionPool?.http?.maxRequestsPerConnection,
    ok: (v) => v >= 1 && v <= 1,
    expected: 'maxRequestsPerConnection: 1',
  },
  {
    code: 'L08.CONSECUTIVE_5XX',
    field: 'outlierDetection.consecutive5xxErrors',
    read: (p) => {
      const od = p.outlierDetection as Record<string, unknown> | undefined;
      const v = od?.['consecutive5xxErrors'] ?? od?.['consecutiveErrors'];
      return typeof v === 'number' ? v : undefined;
    },
    ok: (v) => v >= 1 && v <= 1,
    expected: 'consecutive5xxErrors: 1',
  },
  {
    code: 'L08.INTERVAL',
    field: 'outlierDetection.interval',
    read: (p) => msOf(p.outlierDetection?.interval),
    ok: (v) => v > 0 && v <= 1_000,
    expected: 'interval ≤ 1s',
  },
  {
    code: 'L08.BASE_EJECTION_TIME',
    field: 'outlierDetection.baseEjectionTime',
    read: (p) => msOf(p.outlierDetection?.baseEjectionTime),
    ok: (v) => v >= 30_000,
    expected: 'baseEjectionTime ≥ 30s (lesson: 3m)',
  },
  {
    code: 'L08.MAX_EJECTION_PERCENT',
    field: 'outlierDetection.maxEjectionPercent',
    read: (p) => p.outlierDetection?.maxEjectionPercent,
    ok: (v) => v >= 100,
    expected: 'maxEjectionPercent: 100',
  },
];

/** Step 1: DR for httpbin.intro with the tight connection pool and the outlier detection of the lesson. */
export const configureBreaker = defineCheck({
  labId: 'l08-circuit-breaking',
  stepId: 'configure-breaker',
  kind: 'state',
  async run(ctx) {
    const found = await httpbinDestinationRule(ctx);
    const out: Assertion[] = [...found.assertions];
    const dr = found.object;
    if (!dr) return out;
    const policy: Policy = dr.spec.trafficPolicy ?? {};
    const next = `kubectl get destinationrule -n ${dr.metadata.namespace} ${dr.metadata.name} -o yaml`;
    const subsetOnly = (dr.spec.subsets ?? []).some(
      (s) => s.trafficPolicy?.connectionPool || s.trafficPolicy?.outlierDetection,
    );
    for (const l of limits) {
      const v = l.read(policy);
      const path = `${kindRef('DestinationRule', dr)} .spec.trafficPolicy.${l.field}`;
      if (v !== undefined && l.ok(v)) {
        out.push(
          finding(l.code).pass({
            actual: l.field.endsWith('Time') || l.field.endsWith('interval') ? formatMs(v) : String(v),
            path,
          }),
        );
      } else {
        out.push(
          finding(l.code).fail({
            expected: l.expected,
            actual:
              v === undefined
                ? `${l.field} not set`
                : l.field.endsWith('Time') || l.field.endsWith('interval')
                  ? formatMs(v)
                  : String(v),
            ...(v === undefined && subsetOnly ? { hint: 'onSubset' } : {}),
            next,
            path,
          }),
        );
      }
    }
    return out;
  },
});
