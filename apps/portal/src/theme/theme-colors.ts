/** The page's colour variables, read from globals.css (`--name: light-dark(light, dark)` or one colour for both). */
export function themeColors(css: string): { light: Record<string, string>; dark: Record<string, string> } {
  const root = /:root\s*\{([^}]*)\}/.exec(css)?.[1] ?? '';
  const light: Record<string, string> = {};
  const dark: Record<string, string> = {};
  for (const [, name, value] of root.matchAll(/--([\w-]+):\s*([^;]+);/g)) {
    const pair = /^light-dark\(\s*(#[0-9a-f]{6})\s*,\s*(#[0-9a-f]{6})\s*\)$/i.exec(value!.trim());
    if (pair) {
      light[name!] = pair[1]!;
      dark[name!] = pair[2]!;
    } else if (/^#[0-9a-f]{6}$/i.test(value!.trim())) {
      light[name!] = value!.trim();
      dark[name!] = value!.trim();
    }
  }
  return { light, dark };
}

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

/** WCAG 2 contrast ratio of two #rrggbb colours (1 to 21). */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}
