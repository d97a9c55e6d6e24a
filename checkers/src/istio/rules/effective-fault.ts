import { parseIstioDuration } from '../istio-duration';
import type { HttpRoute } from '../istio-schemas';

type Fault = NonNullable<HttpRoute['fault']>;

/** Where a share of requests came from: `percentage.value`, the deprecated integer `percent`, or nothing. */
export type PercentSource = 'percentage' | 'percent' | 'omitted';

export interface EffectiveDelay {
  /** The fixed delay in ms. */
  ms: number;
  /** Share of requests delayed, 0–100. */
  percent: number;
  percentFrom: PercentSource;
  path: string;
}

export interface EffectiveAbort {
  httpStatus?: number;
  grpcStatus?: string;
  percent: number;
  percentFrom: Exclude<PercentSource, 'percent'>;
  path: string;
}

/** A part of `fault` that istiod drops when it builds the Envoy fault filter, and why. */
export interface IgnoredFault {
  path: string;
  reason: 'no-fixed-delay' | 'bad-duration' | 'no-error-type';
}

export interface EffectiveFault {
  delay?: EffectiveDelay;
  abort?: EffectiveAbort;
  ignored: IgnoredFault[];
}

/**
 * The share of requests a VirtualService fault part applies to, as istiod 1.30 hands it to Envoy.
 *
 * pilot/pkg/networking/core/route/route.go `TranslateFault` (1.30.3):
 * - `percentage: {value: v}` becomes Envoy's FractionalPercent `v × 10000 / MILLION`; a `percentage`
 *   without `value` is 0 (proto3 default).
 * - delay without `percentage` falls back to the deprecated integer `percent`, whose default is 0.
 * - abort without `percentage` leaves Envoy's `FaultAbort.percentage` unset, and an unset
 *   FractionalPercent has numerator 0: no request is aborted.
 * So an omitted percentage injects into 0 % of requests, the lesson's "nothing happens".
 */
export function faultPercent(part: { percentage?: { value?: number }; percent?: number }, kind: 'delay' | 'abort'): { percent: number; from: PercentSource } {
  if (part.percentage) return { percent: clampPercent(part.percentage.value ?? 0), from: 'percentage' };
  if (kind === 'delay' && typeof part.percent === 'number') return { percent: clampPercent(part.percent), from: 'percent' };
  return { percent: 0, from: 'omitted' };
}

function clampPercent(v: number): number {
  return Math.min(100, Math.max(0, v));
}

/**
 * What Envoy's fault filter does for one VirtualService http route, after istiod's translation
 * (`TranslateFault`, pilot/pkg/networking/core/route/route.go at 1.30.3):
 * - a delay needs `fixedDelay`; `exponentialDelay` (or none) is dropped with a warning in istiod's log;
 * - an abort needs `httpStatus` or `grpcStatus`; without one istiod drops the abort ("Only HTTP and gRPC
 *   type abort faults are supported"), and validation only warns ("abort configured, but error type not
 *   set", pkg/config/validation/validation.go `validateHTTPFaultInjectionAbort`), so the object is stored;
 * - percentages as in {@link faultPercent}.
 * Envoy runs the fault filter before the router: a delay is waited first, then an abort answers without
 * an upstream request, so no route timeout or retry applies to an injected abort.
 */
export function effectiveFault(fault: Fault | undefined, path = 'fault'): EffectiveFault | undefined {
  if (!fault) return undefined;
  const out: EffectiveFault = { ignored: [] };
  if (fault.delay) {
    const p = `${path}.delay`;
    if (fault.delay.fixedDelay === undefined) out.ignored.push({ path: p, reason: 'no-fixed-delay' });
    else {
      const ms = parseIstioDuration(fault.delay.fixedDelay);
      if (ms === undefined) out.ignored.push({ path: `${p}.fixedDelay`, reason: 'bad-duration' });
      else {
        const { percent, from } = faultPercent(fault.delay, 'delay');
        out.delay = { ms, percent, percentFrom: from, path: p };
      }
    }
  }
  if (fault.abort) {
    const p = `${path}.abort`;
    const { httpStatus, grpcStatus } = fault.abort;
    if (httpStatus === undefined && grpcStatus === undefined) out.ignored.push({ path: p, reason: 'no-error-type' });
    else {
      const { percent, from } = faultPercent(fault.abort, 'abort');
      out.abort = { ...(httpStatus !== undefined ? { httpStatus } : { grpcStatus }), percent, percentFrom: from === 'percent' ? 'omitted' : from, path: p };
    }
  }
  return out;
}

/** Whether a fault part fires for one request, given a uniform draw in [0, 1). */
export function faultFires(part: { percent: number } | undefined, draw: () => number): boolean {
  if (!part || part.percent <= 0) return false;
  if (part.percent >= 100) return true;
  return draw() * 100 < part.percent;
}
