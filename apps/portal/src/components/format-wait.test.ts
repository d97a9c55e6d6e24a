import { describe, expect, it } from 'vitest';
import { formatWait } from './check-result-view';

describe('formatWait', () => {
  it('says milliseconds under a second and seconds above', () => {
    expect(formatWait(0.4)).toBe('0 ms');
    expect(formatWait(82.4)).toBe('82 ms');
    expect(formatWait(1500)).toBe('1.5 s');
    expect(formatWait(12_340)).toBe('12 s');
  });
});
