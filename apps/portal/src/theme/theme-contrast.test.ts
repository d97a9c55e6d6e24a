import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { contrastRatio, themeColors } from './theme-colors';

const css = readFileSync(new URL('../../app/globals.css', import.meta.url), 'utf8');
const themes = themeColors(css);

/** Text colour → the backgrounds it is drawn on. */
const pairs: [string, string[]][] = [
  ['ink', ['panel', 'bg', 'soft', 'hint-bg', 'error-bg', 'notice-bg', 'warn-bg', 'ok-bg']],
  ['muted', ['panel', 'bg', 'soft', 'notice-bg']],
  ['accent', ['panel', 'bg', 'soft', 'hint-bg']],
  // The catalog's level badges (beginner, intermediate, advanced) and the check colours.
  ['ok', ['panel', 'bg', 'ok-bg']],
  ['warn', ['panel', 'bg']],
  ['bad', ['panel', 'bg', 'error-bg']],
  ['accent-ink', ['accent-fill']],
];

describe('theme contrast (WCAG AA, 4.5:1 for text)', () => {
  it('reads both themes from globals.css', () => {
    expect(Object.keys(themes.light).length).toBeGreaterThan(10);
    expect(themes.dark.panel).not.toBe(themes.light.panel);
  });

  it.each(['light', 'dark'] as const)('%s theme: every text colour reaches 4.5:1 on its backgrounds', (theme) => {
    const colors = themes[theme];
    const low: string[] = [];
    for (const [text, backgrounds] of pairs)
      for (const bg of backgrounds) {
        const ratio = contrastRatio(colors[text]!, colors[bg]!);
        if (!(ratio >= 4.5)) low.push(`--${text} on --${bg}: ${ratio.toFixed(2)}:1`);
      }
    expect(low).toEqual([]);
  });

  it('computes the known ratio of the old beginner green on white', () => {
    expect(contrastRatio('#1f8a4c', '#ffffff')).toBeCloseTo(4.38, 1);
  });
});
