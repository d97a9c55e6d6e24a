// Words the browser and the server share (no server imports here: the tab strip is a client component).

export const noClusterMessage = 'no cluster attached: dashboards appear when your environment has a cluster';

/** A tab beside the terminal, as the lab page hands it to the browser. */
export interface DashboardTab {
  id: string;
  label: string;
  /** Where the iframe opens on the portal's origin, e.g. `/kiali/console/graph/namespaces/?…`. */
  landing: string;
  /** The portal path the addon is served under (`/kiali/`): a lesson link below it opens this tab. */
  mount: string;
}

/** The tab a lesson link opens: the dashboard whose mount the link's path is under, if any. */
export function dashboardForLink(dashboards: readonly DashboardTab[], href: string): DashboardTab | undefined {
  if (!href.startsWith('/') || href.startsWith('//')) return undefined;
  const path = href.split(/[?#]/)[0] ?? '';
  return dashboards.find((d) => path.startsWith(d.mount) || path === d.mount.replace(/\/$/, ''));
}
