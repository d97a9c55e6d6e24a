import { z } from 'zod';
import type { CheckContext } from '../../check-api';
import { grafanaSearchHitSchema, type GrafanaSearchHit } from '../../grafana/grafana-api';

export const labId = 'l17-grafana-dashboards';

/**
 * Grafana 12.0.1's legacy dashboard API, which the checks read through the API server's service proxy:
 * `/api/search` answers hits (grafana/grafana pkg/services/search/model/model.go `Hit`: uid, title,
 * type "dash-db" | "dash-folder", folderTitle when in a folder) and `/api/dashboards/uid/<uid>` answers
 * `{meta, dashboard}` with the dashboard's JSON model (panels, with a row's panels nested when it is
 * collapsed; each panel's `targets[]` are its queries, PromQL in `expr`).
 */
export type SearchHit = GrafanaSearchHit;

const dataSourceRef = z.union([z.string(), z.looseObject({ type: z.string().optional(), uid: z.string().optional() }), z.null()]).optional();
type DataSourceRef = z.infer<typeof dataSourceRef>;
const targetSchema = z.looseObject({ expr: z.string().optional(), datasource: dataSourceRef, hide: z.boolean().optional() });
interface Panel {
  title?: string;
  type?: string;
  datasource?: DataSourceRef;
  targets?: Array<z.infer<typeof targetSchema>>;
  panels?: Panel[];
}
const panelSchema: z.ZodType<Panel> = z.lazy(() =>
  z.looseObject({
    title: z.string().optional(),
    type: z.string().optional(),
    datasource: dataSourceRef,
    targets: z.array(targetSchema).optional(),
    panels: z.array(panelSchema).optional(),
  }),
);
const dashboardSchema = z.looseObject({
  meta: z.looseObject({ provisioned: z.boolean().optional() }),
  dashboard: z.looseObject({
    uid: z.string(),
    title: z.string(),
    panels: z.array(panelSchema).optional(),
    // Dashboards of schemaVersion < 16 (imported from old exports) keep panels in rows[].
    rows: z.array(z.looseObject({ panels: z.array(panelSchema).optional() })).optional(),
    time: z.looseObject({ from: z.string().optional() }).optional(),
  }),
});
export type GrafanaDashboard = z.infer<typeof dashboardSchema>['dashboard'];

export async function searchHits(ctx: Pick<CheckContext, 'probes'>, path: string): Promise<SearchHit[]> {
  return z.array(grafanaSearchHitSchema).parse(await ctx.probes.grafana(path)).filter((h) => h.type === 'dash-db');
}

export async function readDashboard(ctx: Pick<CheckContext, 'probes'>, uid: string): Promise<GrafanaDashboard> {
  return dashboardSchema.parse(await ctx.probes.grafana(`/api/dashboards/uid/${encodeURIComponent(uid)}`)).dashboard;
}

export function dashboardTitles(hits: SearchHit[]): string {
  return hits.length ? hits.map((h) => `"${h.title}"`).join(', ') : 'no dashboards';
}

/** One query of one panel, with the data source it reads from (target's own, else the panel's, else the default). */
export interface PanelQuery {
  panel: string;
  /** Undefined: Prometheus; else what the query reads instead, for the learner. */
  otherSource?: string;
  expr?: string;
}

/**
 * Istio 1.30's addon provisions Prometheus as the default data source (datasources.yaml `isDefault:
 * true`) and Loki beside it; a panel or query without a data source uses the default. The built-in
 * "-- Grafana --" source (type `datasource`, uid `grafana`) draws random-walk test data.
 */
function otherSource(ref: DataSourceRef): string | undefined {
  if (ref === undefined || ref === null) return undefined;
  if (typeof ref === 'string') {
    if (/^\$\{?\w+\}?$/.test(ref) || /prometheus/i.test(ref)) return undefined;
    return ref === '-- Grafana --' || ref === 'grafana' ? 'the built-in "-- Grafana --" source (random test data)' : `"${ref}"`;
  }
  if (ref.type === 'prometheus') return undefined;
  // A template variable (the Istio dashboards' `$datasource` is of type prometheus).
  if (ref.type === undefined && (ref.uid === undefined || /^\$\{?\w+\}?$/.test(ref.uid))) return undefined;
  if (ref.type === 'datasource' && ref.uid === 'grafana') return 'the built-in "-- Grafana --" source (random test data)';
  if (ref.type === 'grafana-testdata-datasource') return 'TestData';
  return ref.type === 'loki' ? 'Loki' : `a ${ref.type ?? 'non-Prometheus'} data source`;
}

const isMixed = (ref: DataSourceRef) => typeof ref === 'object' && ref !== null && ref.uid === '-- Mixed --';

/** Every query of every panel, rows included (a collapsed row keeps its panels inside it). */
export function panelQueries(d: GrafanaDashboard): PanelQuery[] {
  const out: PanelQuery[] = [];
  const visit = (p: Panel) => {
    for (const child of p.panels ?? []) visit(child);
    if (p.type === 'row') return;
    const name = p.title?.trim() || '(untitled)';
    for (const t of p.targets ?? []) {
      if (t.hide) continue;
      const ref = t.datasource ?? (isMixed(p.datasource) ? undefined : p.datasource);
      const other = otherSource(ref);
      out.push({ panel: name, ...(other ? { otherSource: other } : {}), ...(t.expr?.trim() ? { expr: t.expr.trim() } : {}) });
    }
    if ((p.targets ?? []).length === 0 && p.type !== 'text' && p.type !== 'news' && p.type !== 'dashlist') out.push({ panel: name });
  };
  for (const p of d.panels ?? []) visit(p);
  for (const r of d.rows ?? []) for (const p of r.panels ?? []) visit(p);
  return out;
}

interface Matcher {
  label: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
}

/** Label matchers of a PromQL expression (`label op "value"`), string escapes resolved as PromQL does. */
export function matchers(expr: string): Matcher[] {
  const out: Matcher[] = [];
  for (const m of expr.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')/g)) {
    const raw = m[3] ?? m[4] ?? '';
    let value = raw;
    try {
      value = JSON.parse(`"${raw.replace(/"/g, '\\"')}"`) as string;
    } catch {
      // keep the raw text
    }
    out.push({ label: m[1] ?? '', op: m[2] as Matcher['op'], value });
  }
  return out;
}

/** Whether a matcher accepts a label value; Prometheus anchors regular expressions at both ends. */
function accepts(m: Matcher, value: string): boolean {
  if (m.op === '=') return m.value === value;
  if (m.op === '!=') return m.value !== value;
  let re: RegExp;
  try {
    re = new RegExp(`^(?:${m.value})$`);
  } catch {
    return false;
  }
  return m.op === '=~' ? re.test(value) : !re.test(value);
}

/** The label values that name reviews, per label (Bookinfo's reviews in default: app reviews, workloads reviews-v1..v3). */
const reviewsValues = (side: 'destination' | 'source'): Record<string, string[]> => ({
  [`${side}_service_name`]: ['reviews'],
  [`${side}_app`]: ['reviews'],
  [`${side}_canonical_service`]: ['reviews'],
  [`${side}_workload`]: ['reviews-v1', 'reviews-v2', 'reviews-v3'],
  ...(side === 'destination' ? { destination_service: ['reviews.default.svc.cluster.local'] } : {}),
});

/** A matcher that keeps only reviews (on the destination or source side); other services' values must not pass it. */
export function selectsReviews(expr: string, side: 'destination' | 'source'): Matcher | undefined {
  const labels = reviewsValues(side);
  const others = ['productpage', 'details', 'ratings', 'productpage-v1', 'details-v1', 'ratings-v1', 'ratings.default.svc.cluster.local'];
  return matchers(expr).find((m) => {
    const values = labels[m.label];
    return values !== undefined && values.some((v) => accepts(m, v)) && !others.some((v) => accepts(m, v));
  });
}

/** The query keeps server errors and drops successes: some response_code matcher accepts 503 but not 200. */
export function selectsErrors(expr: string): boolean {
  return matchers(expr).some((m) => m.label === 'response_code' && accepts(m, '503') && !accepts(m, '200'));
}

const unitSeconds: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };

/** Range windows written as a literal duration (`[15s]`); `$__rate_interval` and friends are left out. */
export function shortestWindow(expr: string): { text: string; seconds: number } | undefined {
  const windows = [...expr.matchAll(/\[(\d+)(ms|s|m|h|d|w|y)\]/g)].map((m) => ({ text: `${m[1]}${m[2]}`, seconds: Number(m[1]) * (unitSeconds[m[2] ?? 's'] ?? 1) }));
  return windows.sort((a, b) => a.seconds - b.seconds)[0];
}

/** The dashboard's relative time range (`now-5m` → 300 s); undefined for absolute or missing ranges. */
export function rangeSeconds(d: GrafanaDashboard): { text: string; seconds: number } | undefined {
  const m = /^now-(\d+)(s|m|h|d|w|y)$/.exec(d.time?.from ?? '');
  return m ? { text: `${m[1]}${m[2]}`, seconds: Number(m[1]) * (unitSeconds[m[2] ?? 's'] ?? 1) } : undefined;
}
