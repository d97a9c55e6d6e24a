/**
 * The share of requests a VS fault applies to, as istiod computes it: `percentage.value` when present;
 * otherwise the deprecated integer `percent` (delay only), and when both are missing 0 % — the classic
 * "nothing happens" (pilot `translateFault`). For abort without `percentage` Envoy also gets no percentage,
 * which it treats as 0 % (CURRICULUM L06 "(verify)").
 */
export interface FaultPercentage {
  value: number;
  source: 'percentage' | 'percent' | 'omitted';
}

export function faultPercentage(fault: Record<string, unknown>): FaultPercentage {
  const percentage = fault['percentage'];
  if (percentage && typeof percentage === 'object') {
    const v = (percentage as Record<string, unknown>)['value'];
    return { value: typeof v === 'number' ? v : 0, source: 'percentage' };
  }
  const legacy = fault['percent'];
  if (typeof legacy === 'number') return { value: legacy, source: 'percent' };
  return { value: 0, source: 'omitted' };
}
