import type { KubeObject } from '../cluster-reader';

/**
 * What Grafana 12.0.1 (the pinned addon) does with dashboards, as one small in-memory model that the
 * fake Grafana server and the solution replay both use, so a dashboard a lab script POSTs is the one
 * the checks read back. Shapes follow Grafana's legacy dashboard API, which 12.x still serves:
 * `/api/search` hits (pkg/services/search/model/model.go `Hit`), `/api/dashboards/uid/<uid>`
 * (`{meta, dashboard}`, pkg/api/dtos/dashboard.go) and `POST /api/dashboards/db` (`{id, uid, url,
 * status, version, slug, folderUid}`, 412 `name-exists` / `version-mismatch`).
 *
 * Provisioning follows Istio 1.30's addon (istio/istio samples/addons/grafana.yaml at 1.30.3): two
 * file providers, both into the folder `istio`, read the JSON files of the ConfigMaps
 * `istio-grafana-dashboards` and `istio-services-grafana-dashboards`; Grafana's own database lives in
 * the volume `storage`, an emptyDir mounted at /var/lib/grafana, so saved dashboards die with the pod.
 */

export interface StoredDashboard {
  id: number;
  uid: string;
  title: string;
  version: number;
  /** Undefined: the root ("Dashboards") level. */
  folderUid?: string;
  provisioned: boolean;
  json: Record<string, unknown>;
}

export interface GrafanaStore {
  dashboards: StoredDashboard[];
  nextId: number;
}

export interface GrafanaAnswer {
  status: number;
  body: unknown;
}

/** The folder the addon's providers write to (`folder: istio`); its UID is Grafana's own choice. */
export const istioFolder = { uid: 'be3p5kqkmrocwc', title: 'istio' };
/** GF_SERVER_ROOT_URL ends in /grafana/ in learner clusters, so the URLs Grafana emits carry it. */
const subPath = '/grafana';
/** The addon's ConfigMaps that hold dashboard JSON files, in provider order. */
export const dashboardConfigMaps = ['istio-grafana-dashboards', 'istio-services-grafana-dashboards'] as const;
/** Test-only: where the replay keeps what Grafana wrote to its emptyDir, on the Grafana pod itself. */
export const savedDashboardsAnnotation = 'testing.istio-workshop/grafana-saved-dashboards';

/** Grafana's slugify for URLs: lower case, runs of other characters become one dash. */
export function slugify(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
}

let uidSerial = 0;
/** Grafana generates a 14-character short UID when a dashboard comes without one. */
function newUid(): string {
  uidSerial += 1;
  return `fe${uidSerial.toString(36).padStart(12, '0')}`;
}

export function emptyStore(): GrafanaStore {
  return { dashboards: [], nextId: 1 };
}

/** The dashboards the file providers load from the addon's ConfigMaps (a key that is not JSON is skipped, as Grafana logs and skips it). */
export function provisionedDashboards(objects: KubeObject[], store: GrafanaStore): void {
  for (const name of dashboardConfigMaps) {
    const cm = objects.find((o) => o.kind === 'ConfigMap' && o.metadata?.namespace === 'istio-system' && o.metadata.name === name);
    const data = ((cm as { data?: Record<string, string> } | undefined)?.data ?? {}) as Record<string, string>;
    for (const key of Object.keys(data).sort()) {
      let json: Record<string, unknown>;
      try {
        json = JSON.parse(data[key] ?? '') as Record<string, unknown>;
      } catch {
        continue;
      }
      const title = typeof json['title'] === 'string' ? json['title'] : '';
      if (!title) continue;
      const uid = typeof json['uid'] === 'string' && json['uid'] ? json['uid'] : newUid();
      store.dashboards.push({ id: store.nextId++, uid, title, version: 1, folderUid: istioFolder.uid, provisioned: true, json: { ...json, uid } });
    }
  }
}

function url(d: StoredDashboard): string {
  return `${subPath}/d/${d.uid}/${slugify(d.title)}`;
}

function hit(d: StoredDashboard): Record<string, unknown> {
  const folder = d.folderUid === istioFolder.uid ? { folderUid: istioFolder.uid, folderTitle: istioFolder.title, folderUrl: `${subPath}/dashboards/f/${istioFolder.uid}/` } : {};
  const tags = Array.isArray(d.json['tags']) ? d.json['tags'] : [];
  return { id: d.id, uid: d.uid, title: d.title, uri: `db/${slugify(d.title)}`, url: url(d), slug: '', type: 'dash-db', tags, isStarred: false, ...folder, sortMeta: 0 };
}

/** `GET /api/search`: `query` matches titles case-insensitively as a substring; `type` picks dashboards or folders; hits sorted by title. */
export function search(store: GrafanaStore, params: URLSearchParams): unknown[] {
  const query = (params.get('query') ?? '').toLowerCase();
  const type = params.get('type');
  const dashboards = type === 'dash-folder' ? [] : store.dashboards.filter((d) => d.title.toLowerCase().includes(query)).map(hit);
  const hasFolder = store.dashboards.some((d) => d.folderUid === istioFolder.uid);
  const folders =
    type !== 'dash-db' && hasFolder && istioFolder.title.includes(query)
      ? [{ id: 0, uid: istioFolder.uid, title: istioFolder.title, uri: `db/${istioFolder.title}`, url: `${subPath}/dashboards/f/${istioFolder.uid}/`, slug: '', type: 'dash-folder', tags: [], isStarred: false, sortMeta: 0 }]
      : [];
  // Grafana lists folders before dashboards, each alphabetically.
  return [...folders, ...dashboards.sort((a, b) => String(a['title']).localeCompare(String(b['title'])))];
}

/** `GET /api/dashboards/uid/<uid>`. */
export function getDashboard(store: GrafanaStore, uid: string): GrafanaAnswer {
  const d = store.dashboards.find((x) => x.uid === uid);
  if (!d) return { status: 404, body: { message: 'Dashboard not found' } };
  const inFolder = d.folderUid === istioFolder.uid;
  return {
    status: 200,
    body: {
      meta: {
        type: 'db',
        canSave: true,
        canEdit: true,
        canAdmin: true,
        canStar: true,
        canDelete: true,
        slug: slugify(d.title),
        url: url(d),
        expires: '0001-01-01T00:00:00Z',
        created: '2026-01-01T00:00:00Z',
        updated: '2026-01-01T00:00:00Z',
        updatedBy: 'Anonymous',
        createdBy: 'Anonymous',
        version: d.version,
        hasAcl: false,
        isFolder: false,
        apiVersion: 'v1',
        folderId: inFolder ? 1 : 0,
        folderUid: inFolder ? istioFolder.uid : '',
        folderTitle: inFolder ? istioFolder.title : 'Dashboards',
        folderUrl: inFolder ? `${subPath}/dashboards/f/${istioFolder.uid}/` : '',
        provisioned: d.provisioned,
        provisionedExternalId: d.provisioned ? `${d.title}.json` : '',
        annotationsPermissions: { dashboard: { canAdd: true, canEdit: true, canDelete: true }, organization: { canAdd: true, canEdit: true, canDelete: true } },
      },
      dashboard: { ...d.json, id: d.id, uid: d.uid, title: d.title, version: d.version },
    },
  };
}

/** `POST /api/dashboards/db` with `{dashboard, folderUid?, overwrite?, message?}`. */
export function saveDashboard(store: GrafanaStore, body: unknown): GrafanaAnswer {
  const cmd = (body ?? {}) as { dashboard?: Record<string, unknown>; folderUid?: string; overwrite?: boolean };
  const dash = cmd.dashboard;
  if (!dash || typeof dash !== 'object') return { status: 400, body: { message: 'bad request data' } };
  const title = typeof dash['title'] === 'string' ? dash['title'].trim() : '';
  if (!title) return { status: 400, body: { message: 'Dashboard title cannot be empty', status: 'empty-name' } };
  const folderUid = cmd.folderUid || undefined;
  const uid = typeof dash['uid'] === 'string' && dash['uid'] ? dash['uid'] : undefined;
  const overwrite = cmd.overwrite === true;
  const sameUid = uid ? store.dashboards.find((d) => d.uid === uid) : undefined;
  const sameName = store.dashboards.find((d) => d.folderUid === folderUid && d.title.toLowerCase() === title.toLowerCase() && d.uid !== uid);
  if (sameName && !overwrite) return { status: 412, body: { message: 'A dashboard with the same name in the folder already exists', status: 'name-exists' } };
  if (sameUid && !overwrite && Number(dash['version'] ?? 0) !== sameUid.version)
    return { status: 412, body: { message: 'The dashboard has been changed by someone else', status: 'version-mismatch' } };
  if (sameUid?.provisioned) return { status: 400, body: { message: 'Cannot save provisioned dashboard', status: 'provisioned' } };
  // Overwriting a dashboard of the same name takes its place (and its id).
  const replaced = sameUid ?? (overwrite ? sameName : undefined);
  const { id: _id, version: _version, ...rest } = dash;
  const saved: StoredDashboard = {
    id: replaced?.id ?? store.nextId++,
    uid: uid ?? replaced?.uid ?? newUid(),
    title,
    version: (replaced?.version ?? 0) + 1,
    ...(folderUid ? { folderUid } : {}),
    provisioned: false,
    json: { ...rest, title },
  };
  store.dashboards = store.dashboards.filter((d) => d !== replaced && d !== sameName);
  store.dashboards.push(saved);
  return { status: 200, body: { id: saved.id, uid: saved.uid, url: url(saved), status: 'success', version: saved.version, slug: slugify(title), folderUid: folderUid ?? '' } };
}

/** `DELETE /api/dashboards/uid/<uid>`. */
export function deleteDashboard(store: GrafanaStore, uid: string): GrafanaAnswer {
  const d = store.dashboards.find((x) => x.uid === uid);
  if (!d) return { status: 404, body: { message: 'Dashboard not found' } };
  if (d.provisioned) return { status: 400, body: { message: 'provisioned dashboard cannot be deleted', status: 'provisioned' } };
  store.dashboards = store.dashboards.filter((x) => x !== d);
  return { status: 200, body: { title: d.title, message: `Dashboard ${d.title} deleted`, id: d.id } };
}

/** One HTTP request against the model (method, path with query, parsed JSON body). */
export function answerGrafana(store: GrafanaStore, method: string, pathWithQuery: string, body?: unknown): GrafanaAnswer {
  const u = new URL(pathWithQuery, 'http://grafana');
  const byUid = /^\/api\/dashboards\/uid\/([^/]+)$/.exec(u.pathname);
  if (method === 'GET' && u.pathname === '/api/health') return { status: 200, body: { database: 'ok', version: '12.0.1', commit: '80658a73c5355e3ed318e5e021c0866285153b39' } };
  if (method === 'GET' && u.pathname === '/api/search') return { status: 200, body: search(store, u.searchParams) };
  if (method === 'GET' && byUid) return getDashboard(store, decodeURIComponent(byUid[1] ?? ''));
  if (method === 'DELETE' && byUid) return deleteDashboard(store, decodeURIComponent(byUid[1] ?? ''));
  if (method === 'POST' && u.pathname === '/api/dashboards/db') return saveDashboard(store, body);
  return { status: 404, body: { message: 'Not found' } };
}

/** The dashboards a Grafana pod saved (test-only annotation, see `savedDashboardsAnnotation`). */
export function savedOnPod(pod: KubeObject | undefined): StoredDashboard[] {
  const text = pod?.metadata?.annotations?.[savedDashboardsAnnotation];
  return text ? (JSON.parse(text) as StoredDashboard[]) : [];
}

/** Grafana as the cluster `objects` have it: the addon's provisioned dashboards plus what its running pod saved. */
export function grafanaStoreOf(objects: KubeObject[]): GrafanaStore {
  const store = emptyStore();
  provisionedDashboards(objects, store);
  const saved = savedOnPod(grafanaPod(objects));
  store.dashboards.push(...saved);
  store.nextId = Math.max(store.nextId, ...saved.map((d) => d.id + 1));
  return store;
}

export function grafanaPod(objects: KubeObject[]): KubeObject | undefined {
  return objects.find((o) => o.kind === 'Pod' && o.metadata?.namespace === 'istio-system' && o.metadata.labels?.['app'] === 'grafana');
}

/** Test states: `objects` after Grafana's running pod saved each body (as `POST /api/dashboards/db` would). */
export function withSavedDashboards(objects: KubeObject[], bodies: unknown[]): KubeObject[] {
  const out = structuredClone(objects);
  const pod = grafanaPod(out);
  if (!pod?.metadata) throw new Error('no Grafana pod in these objects');
  const store = grafanaStoreOf(out);
  for (const body of bodies) {
    const answer = saveDashboard(store, body);
    if (answer.status !== 200) throw new Error(`Grafana refused the dashboard: ${JSON.stringify(answer.body)}`);
  }
  pod.metadata.annotations = { ...pod.metadata.annotations, [savedDashboardsAnnotation]: JSON.stringify(store.dashboards.filter((d) => !d.provisioned)) };
  return out;
}
