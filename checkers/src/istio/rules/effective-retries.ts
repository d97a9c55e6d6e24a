import { parseIstioDuration } from '../istio-duration';
import type { HttpRoute } from '../istio-schemas';

type Retries = NonNullable<HttpRoute['retries']>;

export interface EffectiveRetryPolicy {
  /** Retries after the first try (Envoy's num_retries). */
  attempts: number;
  /** Envoy retry_on conditions, without the numeric codes. */
  retryOn: string[];
  /** Envoy retriable_status_codes (used by the `retriable-status-codes` condition). */
  retriableStatusCodes: number[];
  /** Deadline of each try in ms; undefined = only the route timeout applies. */
  perTryTimeoutMs?: number;
  from: 'route' | 'mesh-default' | 'istio-default';
  path: string;
}

/** Istio 1.30's built-in policy (pilot/pkg/networking/core/route/retry/retry.go `defaultRetryOn`, `defaultNumRetries`). */
export const istioDefaultRetryOn = 'connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes';
export const istioDefaultRetryAttempts = 2;

/**
 * The retry policy Envoy's router gets for one VirtualService http route, as istiod 1.30 builds it
 * (route.go `applyHTTPRouteDestination` and retry/retry.go `ConvertPolicy`, 1.30.3):
 * - no `retries` on the route: meshConfig `defaultHttpRetryPolicy` if set, else Istio's default:
 *   2 retries on `connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes` with
 *   no retriable status codes (1.30 no longer lists 503), so a plain 500 or 503 from the app is not retried;
 * - `attempts` ≤ 0 (including omitted: proto3 default 0) disables retries for the route, whatever else
 *   is set (validation refuses retryOn/perTryTimeout next to attempts 0, but the object may be stored
 *   without istiod's webhook);
 * - `retryOn`, when set, replaces the default conditions; numeric parts become retriable status codes
 *   and `retriable-status-codes` is added for them; when unset the default conditions stay;
 * - `perTryTimeout` bounds each try; the route `timeout` still bounds the whole request.
 * Returns undefined when the route does not retry at all.
 */
export function effectiveRetryPolicy(
  rule: Pick<HttpRoute, 'retries'> | undefined,
  meshDefault?: Retries,
  path = 'retries',
): EffectiveRetryPolicy | undefined {
  const own = rule?.retries;
  const chosen = own ?? meshDefault;
  const from: EffectiveRetryPolicy['from'] = own ? 'route' : meshDefault ? 'mesh-default' : 'istio-default';
  if (!chosen) return { attempts: istioDefaultRetryAttempts, retryOn: istioDefaultRetryOn.split(','), retriableStatusCodes: [], from, path };
  if ((chosen.attempts ?? 0) <= 0) return undefined;
  let retryOn = istioDefaultRetryOn.split(',');
  let codes: number[] = [];
  if (chosen.retryOn && chosen.retryOn.trim() !== '') {
    const parts = chosen.retryOn.split(',').map((p) => p.trim()).filter(Boolean);
    // Go's http.StatusText: only codes that name a status count as codes (retry.go parseRetryOn).
    codes = parts.filter(isStatusCode).map(Number);
    retryOn = parts.filter((p) => !isStatusCode(p));
    if (codes.length > 0 && !retryOn.includes('retriable-status-codes')) retryOn.push('retriable-status-codes');
  }
  const perTry = parseIstioDuration(chosen.perTryTimeout);
  return { attempts: chosen.attempts ?? 0, retryOn, retriableStatusCodes: codes, ...(perTry ? { perTryTimeoutMs: perTry } : {}), from, path };
}

function isStatusCode(part: string): boolean {
  return /^\d+$/.test(part) && Number(part) >= 100 && Number(part) <= 599;
}

/** What one try ended with, as Envoy's router sees it. */
export interface TryOutcome {
  /** HTTP status from upstream (or the 504 Envoy writes for a per-try timeout). */
  status: number;
  /** Set when no response came: the connection failed, was reset, refused the stream, or the try timed out. */
  reset?: 'connect-failure' | 'reset' | 'refused-stream' | 'per-try-timeout' | 'overflow';
  /** gRPC status from the response's grpc-status header. */
  grpcStatus?: number;
}

const grpcConditions: Record<string, number> = { cancelled: 1, 'deadline-exceeded': 4, 'resource-exhausted': 8, internal: 13, unavailable: 14 };

/**
 * Whether Envoy's router retries a try under `policy` (Envoy's router retry_on conditions, x-envoy-retry-on
 * docs): `5xx` any 5xx or a reset/connect failure/per-try timeout (not a circuit-breaker overflow);
 * `gateway-error` 502/503/504 and the same resets; `reset` any reset; `connect-failure`; `refused-stream`;
 * `retriable-4xx` 409; `retriable-status-codes` the listed codes; the gRPC conditions by grpc-status.
 */
export function retriesTry(policy: EffectiveRetryPolicy | undefined, outcome: TryOutcome): boolean {
  if (!policy) return false;
  const on = new Set(policy.retryOn);
  if (outcome.reset) {
    if (outcome.reset === 'overflow') return false;
    if (on.has('5xx') || on.has('gateway-error') || on.has('reset')) return true;
    return (outcome.reset === 'connect-failure' && on.has('connect-failure')) || (outcome.reset === 'refused-stream' && on.has('refused-stream'));
  }
  const s = outcome.status;
  if (on.has('5xx') && s >= 500) return true;
  if (on.has('gateway-error') && (s === 502 || s === 503 || s === 504)) return true;
  if (on.has('retriable-4xx') && s === 409) return true;
  if (on.has('retriable-status-codes') && policy.retriableStatusCodes.includes(s)) return true;
  if (outcome.grpcStatus !== undefined) for (const [name, code] of Object.entries(grpcConditions)) if (on.has(name) && outcome.grpcStatus === code) return true;
  return false;
}
