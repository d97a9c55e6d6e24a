/**
 * Parse the duration strings Istio objects carry (`7s`, `0.5s`, `500ms`, `1m`, `1h30m`) to milliseconds.
 * Returns undefined for anything else, so a check can say "not a duration" instead of guessing.
 */
export function parseIstioDuration(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const s = text.trim();
  if (s === '') return undefined;
  const unitMs: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, 'µs': 0.001, ns: 0.000001 };
  const re = /(\d+(?:\.\d+)?|\.\d+)(ms|us|µs|ns|h|m|s)/gy;
  let total = 0;
  let consumed = 0;
  for (const m of s.matchAll(re)) {
    if (m.index !== consumed) return undefined;
    total += Number(m[1]) * (unitMs[m[2]!] ?? Number.NaN);
    consumed = m.index + m[0].length;
  }
  if (consumed !== s.length || Number.isNaN(total)) return undefined;
  return total;
}

export function formatMs(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10}s` : `${Math.round(ms)}ms`;
}
