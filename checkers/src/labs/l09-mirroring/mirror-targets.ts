import { resolveHost as toFqdn, type HttpRoute } from '../../check-api';

export interface MirrorTarget {
  host: string;
  subset: string | undefined;
  /** Share of requests mirrored; absent percentage means 100 %. */
  percent: number;
  form: 'mirror' | 'mirrors';
}

/** Both spellings: the older `mirror` + `mirrorPercentage`, and the newer `mirrors: [{destination, percentage}]`. */
export function mirrorTargets(rule: HttpRoute, vsNamespace: string): MirrorTarget[] {
  const out: MirrorTarget[] = [];
  if (rule.mirror) {
    out.push({
      host: toFqdn(rule.mirror.host, vsNamespace),
      subset: rule.mirror.subset,
      percent: rule.mirrorPercentage ? (rule.mirrorPercentage.value ?? 0) : 100,
      form: 'mirror',
    });
  }
  for (const m of rule.mirrors ?? []) {
    out.push({
      host: toFqdn(m.destination.host, vsNamespace),
      subset: m.destination.subset,
      percent: m.percentage ? (m.percentage.value ?? 0) : 100,
      form: 'mirrors',
    });
  }
  return out;
}
