import type { Destination, HttpRoute } from '../istio-schemas';

export interface EffectiveMirror {
  destination: Destination;
  /** Share of requests copied, 0–100 (never 0: a 0 % mirror is not configured at all). */
  percent: number;
  path: string;
}

/**
 * The request mirror policies Envoy gets for one VirtualService http route (route.go `MirrorPercent` and
 * `MirrorPercentByPolicy`, 1.30.3): `mirror` with `mirrorPercentage.value`, else the deprecated integer
 * `mirrorPercent`, else 100 %; each `mirrors[]` entry with its `percentage.value`, else 100 %. An explicit
 * 0 drops that mirror. Both forms may be combined; copies are fire-and-forget and their answers discarded.
 */
export function effectiveMirrors(rule: HttpRoute | undefined, path = ''): EffectiveMirror[] {
  if (!rule) return [];
  const at = (p: string) => (path ? `${path}.${p}` : p);
  const out: EffectiveMirror[] = [];
  if (rule.mirror) {
    const legacy = (rule as { mirrorPercent?: unknown }).mirrorPercent;
    const legacyValue = typeof legacy === 'number' ? legacy : typeof legacy === 'object' && legacy !== null ? (legacy as { value?: unknown }).value : undefined;
    const percent = rule.mirrorPercentage ? (rule.mirrorPercentage.value ?? 0) : typeof legacyValue === 'number' ? legacyValue : 100;
    if (percent > 0) out.push({ destination: rule.mirror, percent: Math.min(100, percent), path: at('mirror') });
  }
  (rule.mirrors ?? []).forEach((m, i) => {
    const percent = m.percentage ? (m.percentage.value ?? 0) : 100;
    if (percent > 0) out.push({ destination: m.destination, percent: Math.min(100, percent), path: at(`mirrors[${i}]`) });
  });
  return out;
}
