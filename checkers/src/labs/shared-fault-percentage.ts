import { faultPercent, type PercentSource } from '../istio/rules/effective-fault';

/**
 * The share of requests a VS fault part applies to, as istiod computes it (istio/rules/effective-fault.ts:
 * `percentage.value`, else the deprecated integer `percent`, else 0 % — the classic "nothing happens").
 * `percent` only exists on a delay; the API server's schema prunes it from an abort.
 */
export interface FaultPercentage {
  value: number;
  source: PercentSource;
}

export function faultPercentage(fault: Record<string, unknown>): FaultPercentage {
  const { percent, from } = faultPercent(fault as { percentage?: { value?: number }; percent?: number }, 'delay');
  return { value: percent, source: from };
}
