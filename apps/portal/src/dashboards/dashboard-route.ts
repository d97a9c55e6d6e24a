import { learnerRoute } from '../api/api-route';
import type { DashboardAddonId } from './dashboard-addons';
import { dashboardClusterOf } from './dashboard-cluster';
import { serveDashboard } from './dashboard-proxy';

/**
 * The route handler behind an addon's mount (`/kiali/…`): the signed learner cookie names the
 * learner (403 without one), their environment names the cluster, and the request goes to the
 * addon through that cluster's API server. Writes are exported only by the routes of addons that
 * accept them (Grafana, Kiali); Next answers any other method with 405 before this runs.
 */
export function dashboardRoute(addon: DashboardAddonId) {
  return learnerRoute<{ path?: string[] }>(async ({ request, learnerId, services }) => serveDashboard(request, addon, await dashboardClusterOf(services, learnerId)));
}
