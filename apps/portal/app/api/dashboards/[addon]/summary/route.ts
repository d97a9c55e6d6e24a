import { ApiError } from '../../../../../src/api/api-error';
import { learnerRoute } from '../../../../../src/api/api-route';
import { isDashboardAddonId } from '../../../../../src/dashboards/dashboard-addons';
import { dashboardClusterOf } from '../../../../../src/dashboards/dashboard-cluster';
import { noClusterMessage } from '../../../../../src/dashboards/dashboard-proxy';
import { kubeAddonReader, summarizeDashboard } from '../../../../../src/dashboards/dashboard-summary';
import { ClusterUnreachableError } from '../../../../../src/dashboards/kube-service-proxy';
import { UnsupportedAddonVersionError } from '../../../../../src/dashboards/addon-version';

/** GET /api/dashboards/:addon/summary: the one-line summary beside an addon's tab, read by its pinned adapter. */
export const GET = learnerRoute<{ addon: string }>(async ({ params, learnerId, services }) => {
  if (!isDashboardAddonId(params.addon)) throw new ApiError('not-found', `no dashboard called "${params.addon}"`);
  const cluster = await dashboardClusterOf(services, learnerId);
  if (cluster.kind === 'none') throw new ApiError('conflict', noClusterMessage);
  try {
    return { summary: await summarizeDashboard(params.addon, kubeAddonReader(cluster)) };
  } catch (error) {
    if (error instanceof ClusterUnreachableError || error instanceof UnsupportedAddonVersionError) throw new ApiError('unavailable', error.message);
    if (error instanceof Error) throw new ApiError('unavailable', `could not summarise ${params.addon}: ${error.message}`);
    throw error;
  }
});
