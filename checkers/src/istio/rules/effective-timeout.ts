import { parseIstioDuration } from '../istio-duration';
import type { HttpRoute } from '../istio-schemas';

export interface EffectiveTimeout {
  /** The route's deadline in ms across all tries; undefined = no deadline. */
  ms: number | undefined;
  from: 'route' | 'default';
  path: string;
  /** `timeout` was set but is not a duration (the API server's schema would normally refuse it). */
  invalid?: string;
}

/**
 * The deadline Envoy's router gives one VirtualService http route.
 *
 * pilot/pkg/networking/core/route/route.go `setTimeout` (1.30.3) starts from `Notimeout` (0 s, which Envoy
 * reads as "disabled") and uses the route's `timeout` when set, so a route without one waits as long as
 * the upstream takes (Envoy's own 15 s default never applies to Istio's routes), and `timeout: 0s` also
 * disables it. The deadline covers every retry; the fault filter's delay runs before the router and does
 * not count against it.
 */
export function effectiveRouteTimeout(rule: Pick<HttpRoute, 'timeout'> | undefined, path = 'timeout'): EffectiveTimeout {
  const text = rule?.timeout;
  if (text === undefined) return { ms: undefined, from: 'default', path };
  const ms = parseIstioDuration(text);
  if (ms === undefined) return { ms: undefined, from: 'default', path, invalid: text };
  return { ms: ms > 0 ? ms : undefined, from: 'route', path };
}
