import { dashboardAddons, serviceProxyBase, type DashboardAddon, type DashboardAddonId } from './dashboard-addons';
import type { DashboardCluster } from './dashboard-proxy';
import { grafanaAdapterFor } from './grafana-adapter';
import { jaegerAdapterFor } from './jaeger-adapter';
import { kialiAdapterFor } from './kiali-adapter';
import { requestThroughApiServer } from './kube-service-proxy';
import { loadKubeConfig } from './kubeconfig-cache';
import { prometheusAdapterFor } from './prometheus-adapter';
import { readBounded } from './read-bounded';

/** What the tab strip shows beside an addon: one line, and where to point the iframe. */
export interface DashboardSummary {
  addon: DashboardAddonId;
  /** The pinned version the adapter read. */
  version: string;
  line: string;
  /** Where the iframe opens (e.g. the Grafana dashboard found by UID); the addon's landing otherwise. */
  embedPath: string;
}

/** Reads one JSON (or any) answer from an addon through the service proxy, bounded in time and size. */
export type AddonReader = (addon: DashboardAddon, path: string) => Promise<{ status: number; body: string }>;

const summaryLimits = { timeoutMs: 10_000, maxBytes: 4 * 1024 * 1024 };

export function kubeAddonReader(cluster: Exclude<DashboardCluster, { kind: 'none' }>): AddonReader {
  const kc = cluster.kind === 'config' ? cluster.kc : loadKubeConfig(cluster.path);
  return async (addon, path) => {
    const [pathname = '', search = ''] = path.split(/(?=\?)/);
    const answer = await requestThroughApiServer(kc, {
      method: 'GET',
      path: serviceProxyBase(addon) + pathname,
      search,
      headers: { accept: 'application/json', 'accept-encoding': 'identity' },
      signal: AbortSignal.timeout(summaryLimits.timeoutMs),
    });
    return { status: answer.statusCode ?? 0, body: (await readBounded(answer, summaryLimits.maxBytes)).toString('utf8') };
  };
}


async function readJson(read: AddonReader, addon: DashboardAddon, path: string): Promise<unknown> {
  const { status, body } = await read(addon, path);
  if (status < 200 || status >= 300) throw new Error(`${addon.label} answered HTTP ${status} for ${path.split('?')[0] ?? path}: ${body.slice(0, 160)}`);
  try {
    return JSON.parse(body) as unknown;
  } catch {
    throw new Error(`${addon.label} answered something that is not JSON for ${path.split('?')[0] ?? path}`);
  }
}

/**
 * Asks the addon's adapter (written for the pinned version) for the summary line. The running
 * version is checked where the addon names it (Kiali, Grafana, Prometheus): an adapter never reads
 * an API it was not written against.
 */
export async function summarizeDashboard(id: DashboardAddonId, read: AddonReader, namespace = 'default'): Promise<DashboardSummary> {
  const addon = dashboardAddons[id];
  const base = { addon: id, version: addon.version, embedPath: addon.landing };
  switch (id) {
    case 'kiali': {
      const kiali = kialiAdapterFor(addon.version);
      kiali.parseStatus(await readJson(read, addon, kiali.statusPath));
      const graph = kiali.parseGraph(await readJson(read, addon, kiali.graphPath(namespace)), namespace);
      const health = kiali.parseHealth(await readJson(read, addon, kiali.healthPath(namespace)), namespace);
      return { ...base, line: kiali.line(graph, health) };
    }
    case 'grafana': {
      const grafana = grafanaAdapterFor(addon.version);
      grafana.parseHealth(await readJson(read, addon, grafana.healthPath));
      const found = grafana.parseSearch(await readJson(read, addon, grafana.searchPath));
      return { ...base, line: grafana.line(found), embedPath: found.preferred?.embedPath ?? addon.landing };
    }
    case 'jaeger': {
      const jaeger = jaegerAdapterFor(addon.version);
      const service = `productpage.${namespace}`;
      const services = jaeger.parseServices(await readJson(read, addon, jaeger.servicesPath));
      const traces = services.includes(service) ? jaeger.parseTraces(await readJson(read, addon, jaeger.tracesPath(service))) : [];
      return { ...base, line: jaeger.line({ services, service, traces }) };
    }
    case 'prometheus': {
      const prometheus = prometheusAdapterFor(addon.version);
      prometheus.parseBuildInfo(await readJson(read, addon, prometheus.buildInfoPath));
      const query = prometheus.requestRateQuery;
      return { ...base, line: prometheus.line(prometheus.parseVector(await readJson(read, addon, prometheus.queryPath(query)), query)) };
    }
    case 'bookinfo': {
      const { status, body } = await read(addon, '/productpage');
      const title = /<title>([^<]*)<\/title>/i.exec(body)?.[1]?.trim();
      return { ...base, line: `Bookinfo: productpage answers HTTP ${status}${title ? ` (“${title}”)` : ''}` };
    }
  }
}
