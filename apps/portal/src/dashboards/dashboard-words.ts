// Words the browser and the server share (no server imports here: the tab strip is a client component).

export const noClusterMessage = 'no cluster attached: dashboards appear when your environment has a cluster';

/** A tab beside the terminal, as the lab page hands it to the browser. */
export interface DashboardTab {
  id: string;
  label: string;
  /** Where the iframe opens on the portal's origin, e.g. `/kiali/console/graph/namespaces/?…`. */
  landing: string;
}
