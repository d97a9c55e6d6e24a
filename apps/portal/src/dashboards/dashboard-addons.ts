import { addonUiRoutes, versions } from '@istio-workshop/clusters';

/**
 * The fixed allow-list of in-cluster UIs a learner may open through the portal, and where each is
 * mounted on the portal's own origin. Nothing else in the learner's cluster is reachable through
 * the dashboard proxy: not another service, not another namespace, not the API server itself.
 *
 * Kiali, Grafana, Jaeger and Prometheus follow the clusters package's contract (addonUiRoutes):
 * provisioning tells Grafana and Prometheus their public prefix, Kiali (`web_root: /kiali`) and
 * Jaeger (`base_path: /jaeger`) serve under theirs natively. Bookinfo's productpage knows no
 * prefix; its links are absolute (`/static/…`), which the API server's proxy rewrites and the
 * portal maps back under `/bookinfo/`.
 */
export interface DashboardAddon {
  id: DashboardAddonId;
  /** What the tab says. */
  label: string;
  namespace: string;
  service: string;
  port: number;
  /** Where the portal serves it, e.g. `/kiali/` (always with both slashes). */
  mount: string;
  /** The upstream path that `mount` stands for (`/` when the portal strips the mount). */
  upstreamPrefix: string;
  /** Where the tab's iframe opens. */
  landing: string;
  /** The pinned version (image tag) the adapters are written for. */
  version: string;
  /**
   * Whether the environment's owner may change the addon's own state through its UI (POST, PUT,
   * PATCH, DELETE): saving a Grafana dashboard (and Grafana's panel queries, which are POSTs),
   * Kiali's wizards writing routing objects. The owner can change the same things with kubectl in
   * their own cluster, so this opens nothing new to them; anyone else never gets this far.
   */
  acceptsWrites?: boolean;
}

/** The methods that change state, allowed only where `acceptsWrites` is set. */
export const writeMethods = ['POST', 'PUT', 'PATCH', 'DELETE'] as const;

export const dashboardAddonIds = ['kiali', 'grafana', 'jaeger', 'prometheus', 'bookinfo'] as const;
export type DashboardAddonId = (typeof dashboardAddonIds)[number];

/** The tag of a pinned image (`grafana/grafana:12.0.1` → `12.0.1`). */
function pinnedTag(repository: string): string {
  const image = versions.addons.images.find((i) => i.split(':')[0] === repository);
  if (!image) throw new Error(`no pinned image for ${repository} in clusters/versions.ts`);
  return image.slice(image.lastIndexOf(':') + 1);
}

const ui = addonUiRoutes;

export const dashboardAddons: Readonly<Record<DashboardAddonId, DashboardAddon>> = {
  kiali: {
    id: 'kiali',
    label: 'Kiali',
    namespace: 'istio-system',
    service: ui.kiali.service,
    port: ui.kiali.port,
    mount: ui.kiali.publicPrefix,
    upstreamPrefix: ui.kiali.upstreamPrefix,
    landing: '/kiali/console/graph/namespaces/?namespaces=default&graphType=versionedApp',
    version: pinnedTag('quay.io/kiali/kiali'),
    acceptsWrites: true,
  },
  grafana: {
    id: 'grafana',
    label: 'Grafana',
    namespace: 'istio-system',
    service: ui.grafana.service,
    port: ui.grafana.port,
    mount: ui.grafana.publicPrefix,
    upstreamPrefix: ui.grafana.upstreamPrefix,
    landing: '/grafana/dashboards?query=Istio',
    version: pinnedTag('grafana/grafana'),
    acceptsWrites: true,
  },
  jaeger: {
    id: 'jaeger',
    label: 'Jaeger',
    namespace: 'istio-system',
    service: ui.jaeger.service,
    port: ui.jaeger.port,
    mount: ui.jaeger.publicPrefix,
    upstreamPrefix: ui.jaeger.upstreamPrefix,
    landing: '/jaeger/search?service=productpage.default',
    version: pinnedTag('jaegertracing/jaeger'),
  },
  prometheus: {
    id: 'prometheus',
    label: 'Prometheus',
    namespace: 'istio-system',
    service: ui.prometheus.service,
    port: ui.prometheus.port,
    mount: ui.prometheus.publicPrefix,
    upstreamPrefix: ui.prometheus.upstreamPrefix,
    landing: '/prometheus/query?g0.expr=sum%20by%20(destination_service)%20(rate(istio_requests_total%5B1m%5D))',
    version: pinnedTag('prom/prometheus'),
  },
  bookinfo: {
    id: 'bookinfo',
    label: 'Bookinfo',
    // Bookinfo runs in `default` in learner clusters (clusters/manifests/bookinfo.yaml).
    namespace: 'default',
    service: 'productpage',
    port: 9080,
    mount: '/bookinfo/',
    upstreamPrefix: '/',
    landing: '/bookinfo/productpage',
    version: versions.bookinfo.tag,
  },
};

export function isDashboardAddonId(value: string): value is DashboardAddonId {
  return (dashboardAddonIds as readonly string[]).includes(value);
}

/** The API server's service-proxy path of an addon, without a trailing slash. */
export function serviceProxyBase(addon: Pick<DashboardAddon, 'namespace' | 'service' | 'port'>): string {
  return `/api/v1/namespaces/${addon.namespace}/services/${addon.service}:${addon.port}/proxy`;
}
