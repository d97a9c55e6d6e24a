import type { PortalServices } from '../portal-services';
import type { DashboardCluster } from './dashboard-proxy';

/** The learner's cluster, if their environment has one and is in use. */
export async function dashboardClusterOf(services: PortalServices, learnerId: string): Promise<DashboardCluster> {
  const environment = await services.environments.forLearner(learnerId);
  if (!environment || environment.status !== 'assigned' || !environment.kubeconfigPath) return { kind: 'none' };
  return { kind: 'kubeconfig', path: environment.kubeconfigPath };
}
