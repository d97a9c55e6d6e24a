import { describe, expect, it } from 'vitest';
import { effectiveMirrors } from './effective-mirror';

const v2 = { host: 'httpbin', subset: 'v2' };
describe('effectiveMirrors (istiod MirrorPercent, MirrorPercentByPolicy)', () => {
  it('mirrors 100 % when no percentage is given, in both forms', () => {
    expect(effectiveMirrors({ mirror: v2 })).toEqual([{ destination: v2, percent: 100, path: 'mirror' }]);
    expect(effectiveMirrors({ mirrors: [{ destination: v2 }] }, 'spec.http[0]')).toEqual([{ destination: v2, percent: 100, path: 'spec.http[0].mirrors[0]' }]);
  });
  it('uses mirrorPercentage, then the deprecated mirrorPercent', () => {
    expect(effectiveMirrors({ mirror: v2, mirrorPercentage: { value: 25 } })[0]?.percent).toBe(25);
    expect(effectiveMirrors({ mirror: v2, mirrorPercent: 40 } as never)[0]?.percent).toBe(40);
  });
  it('drops a mirror set to 0 %', () => {
    expect(effectiveMirrors({ mirror: v2, mirrorPercentage: { value: 0 } })).toEqual([]);
    expect(effectiveMirrors({ mirrors: [{ destination: v2, percentage: { value: 0 } }] })).toEqual([]);
  });
});
