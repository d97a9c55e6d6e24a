import { defineCheck, finding } from '../../check-api';
import { dashboardTitles, labId, searchHits } from './grafana-objects';

/**
 * The dashboards step 1 opens, and where Istio 1.30's Grafana addon provisions each from
 * (istio/istio samples/addons/grafana.yaml at 1.30.3: ConfigMap `istio-grafana-dashboards` holds
 * istio-performance-dashboard.json and pilot-dashboard.json (the Control Plane dashboard);
 * `istio-services-grafana-dashboards` holds istio-mesh-, istio-service- and
 * istio-workload-dashboard.json; both are mounted under /var/lib/grafana/dashboards and read by file
 * providers into the folder `istio`).
 */
export const istioDashboardSources: ReadonlyArray<{ title: string; configMap: string; key: string }> = [
  { title: 'Istio Mesh Dashboard', configMap: 'istio-services-grafana-dashboards', key: 'istio-mesh-dashboard.json' },
  { title: 'Istio Service Dashboard', configMap: 'istio-services-grafana-dashboards', key: 'istio-service-dashboard.json' },
  { title: 'Istio Workload Dashboard', configMap: 'istio-services-grafana-dashboards', key: 'istio-workload-dashboard.json' },
  { title: 'Istio Control Plane Dashboard', configMap: 'istio-grafana-dashboards', key: 'pilot-dashboard.json' },
  { title: 'Istio Performance Dashboard', configMap: 'istio-grafana-dashboards', key: 'istio-performance-dashboard.json' },
];

/**
 * Step 1 (a sanity check of the environment, so it passes on a fresh cluster): Grafana's search lists
 * the five Istio dashboards the lesson opens. A missing one is traced to its ConfigMap and key.
 */
export const istioDashboards = defineCheck({
  labId,
  stepId: 'istio-dashboards',
  kind: 'telemetry',
  async run(ctx) {
    const hits = await searchHits(ctx, '/api/search?query=Istio&type=dash-db');
    const titles = new Set(hits.map((h) => h.title));
    const missing = istioDashboardSources.filter((d) => !titles.has(d.title));
    const configMaps = new Map(await Promise.all([...new Set(missing.map((d) => d.configMap))].map(async (name) => [name, await ctx.cluster.configMap('istio-system', name)] as const)));
    return istioDashboardSources.map((d) => {
      const f = finding('L17.ISTIO_DASHBOARD', { dashboard: d.title, configMap: d.configMap, key: d.key });
      const hit = hits.find((h) => h.title === d.title);
      if (hit) return f.pass({ actual: `${d.title} (uid ${hit.uid}, folder ${hit.folderTitle ?? 'Dashboards'})` });
      const cm = configMaps.get(d.configMap);
      const hint = cm === undefined ? 'missingConfigMap' : cm.data?.[d.key] === undefined ? 'missingKey' : undefined;
      return f.fail({
        expected: `"${d.title}" among Grafana's dashboards`,
        actual: dashboardTitles(hits),
        next: `kubectl -n istio-system describe configmap ${d.configMap}`,
        ...(hint ? { hint } : {}),
      });
    });
  },
});
