// Our small changes to the stock Istio addons so the portal can proxy their UIs under a sub-path,
// without moving the API paths the checkers read through the API-server service proxy (docs/learner-environment.md).
//
// Two styles, chosen per tool:
// - Kiali (`server.web_root: /kiali`) and Jaeger (`base_path: /jaeger`) already serve under their
//   prefix in the samples: the portal forwards /kiali/* and /jaeger/* unchanged.
// - Grafana and Prometheus keep serving at `/` (checker paths `/api/search`, `/api/v1/query`), but are
//   told their public prefix so the links and assets they emit carry it: the portal strips the prefix.

export interface AddonUiRoute {
  /** Service in istio-system and its port. */
  service: string;
  port: number;
  /** Where the portal serves the UI on its own origin. */
  publicPrefix: string;
  /** The path the upstream expects for `publicPrefix` (the portal replaces one with the other). */
  upstreamPrefix: string;
}

export const addonUiRoutes = {
  grafana: { service: 'grafana', port: 3000, publicPrefix: '/grafana/', upstreamPrefix: '/' },
  prometheus: { service: 'prometheus', port: 9090, publicPrefix: '/prometheus/', upstreamPrefix: '/' },
  jaeger: { service: 'tracing', port: 80, publicPrefix: '/jaeger/', upstreamPrefix: '/jaeger/' },
  kiali: { service: 'kiali', port: 20001, publicPrefix: '/kiali/', upstreamPrefix: '/kiali/' },
} as const satisfies Record<string, AddonUiRoute>;

/** `kubectl set env` arguments for Grafana (idempotent: unchanged values roll nothing). */
export const grafanaSubPathEnv = [
  // Grafana derives its sub-URL from root_url's path and prefixes links/assets with it; with
  // serve_from_sub_path=false it still answers at `/`, which keeps the checkers' paths working.
  'GF_SERVER_ROOT_URL=%(protocol)s://%(domain)s/grafana/',
  'GF_SERVER_SERVE_FROM_SUB_PATH=false',
];

/** Extra Prometheus flags: links carry /prometheus/, routes stay at / (verify on the pinned Prometheus). */
export const prometheusSubPathArgs = ['--web.external-url=/prometheus/', '--web.route-prefix=/'];
