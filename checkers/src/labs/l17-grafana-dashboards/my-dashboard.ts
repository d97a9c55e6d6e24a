import type { Assertion } from '../../check-result';
import { defineCheck, finding, type CheckContext } from '../../check-api';
import {
  dashboardTitles,
  labId,
  panelQueries,
  rangeSeconds,
  readDashboard,
  searchHits,
  selectsErrors,
  selectsReviews,
  shortestWindow,
  type GrafanaDashboard,
  type PanelQuery,
} from './grafana-objects';

export const dashboardTitle = 'My Bookinfo';
const normalize = (t: string) => t.trim().replace(/\s+/g, ' ').toLowerCase();
/** Prometheus in Istio 1.30's addon scrapes every 15 s (samples/addons/prometheus.yaml `scrape_interval: 15s`); rate() needs two samples. */
const scrapeSeconds = 15;

type Verdict = { rank: number; q: PanelQuery; hint?: 'notPrometheus' | 'noExpr' | 'otherMetric' | 'sourceReviews' | 'notReviews'; label?: string };

/** How close one query comes to "istio_requests_total for reviews", best first. */
function judge(q: PanelQuery): Verdict {
  if (q.otherSource) return { rank: 1, q, hint: 'notPrometheus' };
  if (!q.expr) return { rank: 2, q, hint: 'noExpr' };
  if (!/\bistio_requests_total\b/.test(q.expr)) return { rank: 3, q, hint: 'otherMetric' };
  if (selectsReviews(q.expr, 'destination')) return { rank: 6, q };
  const source = selectsReviews(q.expr, 'source');
  if (source) return { rank: 5, q, hint: 'sourceReviews', label: `${source.label}${source.op}"${source.value}"` };
  return { rank: 4, q, hint: 'notReviews' };
}

async function dashboardsTitled(ctx: CheckContext): Promise<{ found: GrafanaDashboard[]; others: string }> {
  const hits = await searchHits(ctx, `/api/search?query=${encodeURIComponent(dashboardTitle)}&type=dash-db`);
  const exact = hits.filter((h) => normalize(h.title) === normalize(dashboardTitle));
  if (exact.length) return { found: await Promise.all(exact.map((h) => readDashboard(ctx, h.uid))), others: '' };
  // Not found: name what the learner did save (everything outside the addon's `istio` folder).
  const all = await searchHits(ctx, '/api/search?type=dash-db');
  // Closest first: titles sharing a word with "My Bookinfo" (a typo, a longer name) before the rest.
  const words = normalize(dashboardTitle).split(' ');
  const shared = (t: string) => normalize(t).split(/[^a-z0-9]+/).filter((w) => words.includes(w) || words.some((x) => w.startsWith(x) && x.length > 3)).length;
  const own = all.filter((h) => h.folderTitle !== 'istio').sort((a, b) => shared(b.title) - shared(a.title));
  return { found: [], others: own.length ? dashboardTitles(own.slice(0, 5)) : '' };
}

/**
 * Step 2: Grafana has a saved dashboard "My Bookinfo" (title compared as Grafana's search does, ignoring
 * case) with a panel whose PromQL counts istio_requests_total for reviews. Any valid form passes: panels
 * inside rows, several queries, the service, app, canonical service or workload label, `=` or a regex.
 * Near misses are named: not saved or saved under another title, a panel reading another data source,
 * an empty query, another metric, reviews on the source side, every service.
 *
 * The 5xx filter is a warning, not a failure: the curriculum's check is the reviews request count, and a
 * panel of all reviews responses already shows the curve this lab builds on; the warning says how to
 * narrow it to errors. So are a rate window shorter than two scrapes and a view too short for a curve,
 * and Grafana's storage: the addon keeps its database in an emptyDir (istio/istio
 * samples/addons/grafana.yaml at 1.30.3, volume `storage` at /var/lib/grafana), so a saved dashboard
 * is lost when the pod restarts.
 */
export const myDashboard = defineCheck({
  labId,
  stepId: 'my-dashboard',
  kind: 'telemetry',
  async run(ctx) {
    const { found, others } = await dashboardsTitled(ctx);
    const saved = finding('L17.DASHBOARD_SAVED', { title: dashboardTitle, others });
    if (found.length === 0) {
      return [
        saved.fail({
          expected: `a dashboard titled "${dashboardTitle}"`,
          actual: others ? `saved dashboards: ${others}` : 'no dashboard besides the Istio ones',
          next: "curl -s 'http://grafana.istio-system:3000/api/search?type=dash-db' | jq -r '.[].title'",
          ...(others ? { hint: 'otherTitles' } : {}),
        }),
      ];
    }
    // Several dashboards of that title (in different folders): judge the best one.
    const judged = found
      .map((d) => ({ d, verdicts: panelQueries(d).map(judge).sort((a, b) => b.rank - a.rank) }))
      .sort((a, b) => (b.verdicts[0]?.rank ?? 0) - (a.verdicts[0]?.rank ?? 0));
    const { d, verdicts } = judged[0]!;
    const out: Assertion[] = [saved.pass({ actual: `"${d.title}" (uid ${d.uid})` })];
    const best = verdicts[0];
    const query = finding('L17.PANEL_QUERY', { title: dashboardTitle, panel: best?.q.panel ?? '', datasource: best?.q.otherSource ?? '', expr: best?.q.expr ?? '', label: best?.label ?? '' });
    const next = `curl -s http://grafana.istio-system:3000/api/dashboards/uid/${d.uid} | jq '.dashboard.panels'`;
    if (!best || best.hint) {
      out.push(
        query.fail({
          expected: 'a panel query with istio_requests_total and a destination label selecting reviews',
          actual: best ? `panel "${best.q.panel}": ${best.q.otherSource ? `data source ${best.q.otherSource}` : best.q.expr ?? 'empty query'}` : 'no panel with a query',
          next,
          ...(best?.hint ? { hint: best.hint } : {}),
        }),
      );
      return [...out, await storage(ctx, d)];
    }
    const reviews = verdicts.filter((v) => v.rank === 6);
    out.push(query.pass({ actual: `panel "${best.q.panel}": ${best.q.expr ?? ''}` }));
    const errors = reviews.find((v) => selectsErrors(v.q.expr ?? ''));
    const chosen = errors ?? best;
    const errorsOnly = finding('L17.ERRORS_ONLY', { panel: chosen.q.panel });
    out.push(errors ? errorsOnly.pass({ actual: errors.q.expr ?? '' }) : errorsOnly.warn({ expected: 'a response_code matcher that keeps 5xx, e.g. response_code=~"5.."', actual: chosen.q.expr ?? '', next }));
    const window = shortestWindow(chosen.q.expr ?? '');
    const range = rangeSeconds(d);
    const samples = finding('L17.ENOUGH_SAMPLES', { panel: chosen.q.panel, window: window?.text ?? '', title: dashboardTitle, range: range?.text ?? '' });
    if (window && window.seconds < 2 * scrapeSeconds) out.push(samples.warn({ expected: `a rate window of at least ${2 * scrapeSeconds}s`, actual: `[${window.text}]`, next }));
    else if (range && range.seconds < 5 * 60) out.push(samples.warn({ expected: 'a time range of 5 minutes or more', actual: `now-${range.text}`, next, hint: 'shortRange' }));
    else out.push(samples.pass({ actual: `${window ? `[${window.text}]` : 'an automatic rate window'}, ${range ? `last ${range.text}` : 'the saved time range'}` }));
    return [...out, await storage(ctx, d)];
  },
});

/** Where Grafana keeps its database: the volume mounted at its data path (GF_PATHS_DATA, /var/lib/grafana in the addon). */
async function storage(ctx: CheckContext, d: GrafanaDashboard): Promise<Assertion> {
  const deploy = await ctx.cluster.deployment('istio-system', 'grafana');
  const spec = deploy?.spec?.template.spec;
  const container = spec?.containers.find((c) => c.name === 'grafana') ?? spec?.containers[0];
  const dataPath = (container?.env?.find((e) => e.name === 'GF_PATHS_DATA')?.value ?? '/var/lib/grafana').replace(/\/+$/, '');
  const mount = container?.volumeMounts?.find((m) => m.mountPath.replace(/\/+$/, '') === dataPath);
  const volume = spec?.volumes?.find((v) => v.name === mount?.name);
  const f = finding('L17.STORAGE', { volume: volume?.name ?? `(none: the container's own filesystem at ${dataPath})`, title: d.title, uid: d.uid });
  if (volume?.persistentVolumeClaim) return f.pass({ actual: `volume ${volume.name}: PersistentVolumeClaim ${volume.persistentVolumeClaim.claimName}` });
  return f.warn({
    expected: `a persistent volume at ${dataPath}`,
    actual: volume ? `volume ${volume.name}: ${volume.emptyDir ? 'emptyDir' : Object.keys(volume).filter((k) => k !== 'name').join(', ')}` : `nothing mounted at ${dataPath}`,
    next: `curl -s http://grafana.istio-system:3000/api/dashboards/uid/${d.uid} | jq .dashboard > my-bookinfo.json`,
  });
}
