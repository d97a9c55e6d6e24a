import { describe, expect, it } from 'vitest';
import { effectiveFault, faultFires, faultPercent } from './effective-fault';

describe('effectiveFault (istiod TranslateFault)', () => {
  it('takes percentage.value when present', () => {
    expect(effectiveFault({ delay: { fixedDelay: '7s', percentage: { value: 100 } } })?.delay).toEqual({ ms: 7000, percent: 100, percentFrom: 'percentage', path: 'fault.delay' });
    expect(effectiveFault({ abort: { httpStatus: 500, percentage: { value: 12.5 } } }, 'spec.http[0].fault')?.abort).toEqual({ httpStatus: 500, percent: 12.5, percentFrom: 'percentage', path: 'spec.http[0].fault.abort' });
  });

  it('injects into 0 % of requests when percentage is omitted (delay and abort)', () => {
    const f = effectiveFault({ delay: { fixedDelay: '7s' }, abort: { httpStatus: 500 } });
    expect(f?.delay).toMatchObject({ percent: 0, percentFrom: 'omitted' });
    expect(f?.abort).toMatchObject({ percent: 0, percentFrom: 'omitted' });
    expect(faultFires(f?.delay, () => 0)).toBe(false);
    expect(faultFires(f?.abort, () => 0)).toBe(false);
  });

  it('reads the deprecated integer percent for a delay only', () => {
    expect(faultPercent({ percent: 30 }, 'delay')).toEqual({ percent: 30, from: 'percent' });
    expect(faultPercent({ percent: 30 }, 'abort')).toEqual({ percent: 0, from: 'omitted' });
    expect(faultPercent({ percentage: {} }, 'delay')).toEqual({ percent: 0, from: 'percentage' });
  });

  it('drops an abort without httpStatus or grpcStatus and a delay without fixedDelay', () => {
    const f = effectiveFault({ abort: { percentage: { value: 100 } }, delay: { percentage: { value: 100 } } });
    expect(f?.abort).toBeUndefined();
    expect(f?.delay).toBeUndefined();
    expect(f?.ignored).toEqual([
      { path: 'fault.delay', reason: 'no-fixed-delay' },
      { path: 'fault.abort', reason: 'no-error-type' },
    ]);
  });

  it('keeps a gRPC abort', () => {
    expect(effectiveFault({ abort: { grpcStatus: 'UNAVAILABLE', percentage: { value: 50 } } })?.abort).toMatchObject({ grpcStatus: 'UNAVAILABLE', percent: 50 });
  });

  it('fires by share', () => {
    expect(faultFires({ percent: 100 }, () => 0.999)).toBe(true);
    expect(faultFires({ percent: 50 }, () => 0.49)).toBe(true);
    expect(faultFires({ percent: 50 }, () => 0.5)).toBe(false);
    expect(faultFires(undefined, () => 0)).toBe(false);
  });
});
