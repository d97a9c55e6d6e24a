import { existsSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import { CheckRunError } from '../check-error';

/** Where the learner cluster's credentials come from. */
export type KubeconfigSource = { kind: 'file'; path: string } | { kind: 'string'; yaml: string } | { kind: 'none' };

/**
 * Loads a kubeconfig and checks it names a current cluster. A missing, unreadable or empty
 * kubeconfig is `no-cluster` (there is nothing to check against), never a failed step.
 */
export function loadKubeConfig(source: KubeconfigSource): KubeConfig {
  if (source.kind === 'none') {
    const sentence = 'No cluster is attached to this environment, so this step cannot be checked.';
    throw new CheckRunError('no-cluster', sentence, { summary: sentence });
  }
  const kc = new KubeConfig();
  const where = source.kind === 'file' ? `kubeconfig ${source.path}` : 'the kubeconfig given';
  try {
    if (source.kind === 'file') {
      if (!existsSync(source.path)) throw new Error('file does not exist');
      kc.loadFromFile(source.path);
    } else {
      kc.loadFromString(source.yaml);
    }
  } catch (cause) {
    throw new CheckRunError('no-cluster', `Cannot read ${where}: ${(cause as Error).message}`, { cause });
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster?.server) {
    throw new CheckRunError('no-cluster', `${where} has no current context with a cluster server`);
  }
  return kc;
}
