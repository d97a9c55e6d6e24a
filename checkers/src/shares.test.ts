import { describe, expect, it } from 'vitest';
import { describeShare, normaliseWeights, withinThreeSigma } from './shares';

describe('weighted shares', () => {
  it('accepts 50/50 within ±10.6 points at n = 200 (docs/check-probes.md)', () => {
    expect(withinThreeSigma(0.6, 200, 0.5)).toBe(true);
    expect(withinThreeSigma(0.39, 200, 0.5)).toBe(false);
    expect(describeShare(0.5, 200)).toBe('50 % ± 10.6 (n = 200)');
  });
  it('accepts 90/10 within ±6.4 points', () => {
    expect(withinThreeSigma(0.16, 200, 0.1)).toBe(true);
    expect(withinThreeSigma(0.17, 200, 0.1)).toBe(false);
  });
  it('a weight of 0 or 100 % must be exact', () => {
    expect(withinThreeSigma(0, 200, 0)).toBe(true);
    expect(withinThreeSigma(1 / 200, 200, 0)).toBe(false);
    expect(withinThreeSigma(1, 50, 1)).toBe(true);
  });
  it('normalises relative weights (1/1 = 50/50, a single route = 100 %)', () => {
    expect(normaliseWeights([1, 1])).toEqual([0.5, 0.5]);
    expect(normaliseWeights([undefined])).toEqual([1]);
    expect(normaliseWeights([80, 20])).toEqual([0.8, 0.2]);
  });
});
