import { describe, expect, it } from 'vitest';
import { formatMs, parseIstioDuration } from './istio-duration';

describe('parseIstioDuration', () => {
  it.each([
    ['7s', 7000],
    ['0.5s', 500],
    ['500ms', 500],
    ['1m', 60_000],
    ['1h30m', 5_400_000],
    ['.25s', 250],
  ])('%s → %d ms', (text, ms) => {
    expect(parseIstioDuration(text)).toBe(ms);
  });

  it.each(['', '7', 's', '7x', '7s junk', 'abc'])('rejects %j', (text) => {
    expect(parseIstioDuration(text)).toBeUndefined();
  });

  it('formats for hints', () => {
    expect(formatMs(7000)).toBe('7s');
    expect(formatMs(450)).toBe('450ms');
  });
});
