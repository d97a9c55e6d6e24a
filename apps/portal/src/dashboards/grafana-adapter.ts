import { grafanaSearchHitSchema } from '@istio-workshop/checkers/grafana';
import { z } from 'zod';
import { assertKnownVersion } from './addon-version';

// Grafana's search API answers a list of hits (grafana/grafana pkg/services/search/model/model.go:
// Hit{id, uid, title, uri, url, slug, type "dash-db"|"dash-folder", tags, isStarred, folderUid,
// folderTitle, folderUrl, sortMeta}); `/api/health` names the version. Istio's sample Grafana
// provisions its dashboards into the `istio` folder; a dashboard is embedded by its UID at
// `/grafana/d/<uid>?kiosk`.

export const grafanaKnownVersions = ['12.0'] as const;

const healthSchema = z.object({ version: z.string(), database: z.string().optional() });

export interface GrafanaDashboardRef {
  uid: string;
  title: string;
  /** Where the portal embeds it (kiosk mode, under the portal's /grafana/ mount). */
  embedPath: string;
}

export interface GrafanaSummary {
  dashboards: GrafanaDashboardRef[];
  /** The one the tab opens first: the mesh overview when there is one. */
  preferred?: GrafanaDashboardRef;
}

export interface GrafanaAdapter {
  version: string;
  searchPath: string;
  healthPath: string;
  parseSearch(json: unknown): GrafanaSummary;
  parseHealth(json: unknown): string;
  line(summary: GrafanaSummary): string;
}

export function grafanaAdapterFor(version: string): GrafanaAdapter {
  assertKnownVersion('Grafana', version, grafanaKnownVersions);
  return {
    version,
    searchPath: '/api/search?query=Istio&type=dash-db',
    healthPath: '/api/health',
    parseSearch(json) {
      const hits = z.array(grafanaSearchHitSchema).parse(json);
      const dashboards = hits
        .filter((h) => h.type === 'dash-db' && /istio/i.test(h.title))
        .map((h) => ({ uid: h.uid, title: h.title, embedPath: `/grafana/d/${encodeURIComponent(h.uid)}?kiosk` }))
        .sort((a, b) => a.title.localeCompare(b.title));
      const preferred = dashboards.find((d) => /mesh/i.test(d.title)) ?? dashboards[0];
      return preferred ? { dashboards, preferred } : { dashboards };
    },
    parseHealth(json) {
      const { version: running } = healthSchema.parse(json);
      assertKnownVersion('Grafana', running, grafanaKnownVersions);
      return running;
    },
    line(s) {
      if (s.dashboards.length === 0) return 'Grafana: no Istio dashboards found';
      return `Grafana: ${s.dashboards.length} Istio dashboards${s.preferred ? `, showing ${s.preferred.title}` : ''}`;
    },
  };
}
