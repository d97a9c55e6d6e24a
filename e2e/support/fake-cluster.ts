import { baselineCluster, startFakeKubeApi, type FakeKubeApi } from '@istio-workshop/checkers/testing';

export interface FakeCluster {
  api: FakeKubeApi;
  kubeconfigPath: string;
  close(): Promise<void>;
}

/**
 * The stand-in for a learner's cluster in journeys: the checkers' fake Kubernetes API seeded with a
 * fresh Istio + Bookinfo baseline, reached through a real kubeconfig by both the portal's checker
 * and kubectl in the learner's shell.
 */
export async function startFakeCluster(): Promise<FakeCluster> {
  const api = await startFakeKubeApi({ objects: baselineCluster(), token: null });
  return { api, kubeconfigPath: api.kubeconfigPath, close: () => api.close() };
}
