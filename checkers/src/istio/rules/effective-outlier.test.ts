import { describe, expect, it } from 'vitest';
import { countsAsOutlierError, effectiveOutlierDetection } from './effective-outlier';

describe('effectiveOutlierDetection (istiod applyOutlierDetection + Envoy defaults)', () => {
  it('ejects nothing without outlierDetection', () => {
    expect(effectiveOutlierDetection({})).toBeUndefined();
  });
  it("fills Envoy's defaults and disables the panic threshold", () => {
    expect(effectiveOutlierDetection({ outlierDetection: {} })).toEqual({
      consecutive5xx: 5,
      consecutiveGatewayErrors: 0,
      intervalMs: 10_000,
      baseEjectionMs: 30_000,
      maxEjectionPercent: 10,
      panicThresholdPercent: 0,
      path: 'trafficPolicy.outlierDetection',
    });
  });
  it('takes the lesson values', () => {
    const od = effectiveOutlierDetection({ outlierDetection: { consecutive5xxErrors: 1, interval: '1s', baseEjectionTime: '3m', maxEjectionPercent: 100 } });
    expect(od).toMatchObject({ consecutive5xx: 1, intervalMs: 1000, baseEjectionMs: 180_000, maxEjectionPercent: 100 });
    expect(countsAsOutlierError(od!, 500)).toEqual({ fiveXx: true, gateway: false });
  });
  it('turns 5xx ejection off with consecutive5xxErrors 0', () => {
    const od = effectiveOutlierDetection({ outlierDetection: { consecutive5xxErrors: 0, consecutiveGatewayErrors: 2 } })!;
    expect(countsAsOutlierError(od, 500)).toEqual({ fiveXx: false, gateway: false });
    expect(countsAsOutlierError(od, 503)).toEqual({ fiveXx: false, gateway: true });
  });
});
