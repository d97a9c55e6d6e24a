import { loadClustersConfig } from '@istio-workshop/clusters';

/**
 * Whether a learner's environment will have a cluster, known before it is assigned: every provider
 * but `local` brings one, and `local` does when it is given a kubeconfig. Lets the first render of a
 * lesson already use the right wording.
 */
export function clusterExpected(env: Record<string, string | undefined> = process.env, cwd?: string): boolean {
  const config = loadClustersConfig(env, cwd);
  return config.provider !== 'local' || config.localKubeconfigPath !== null;
}
