import type { StepName } from '@istio-workshop/clusters';

/** What each provisioning step does, in the learner's words (the pipeline's names are ours). */
const stepWords: Record<StepName, string> = {
  doctor: 'checking the tools',
  'create-cluster': 'creating your Kubernetes cluster',
  'preload-images': 'loading container images',
  'core-dns': 'setting up cluster DNS',
  'install-istio': 'installing Istio',
  'injector-ready': 'waiting for the sidecar injector',
  'label-ns': 'preparing namespaces',
  bookinfo: 'deploying the Bookinfo sample',
  addons: 'installing Prometheus, Grafana, Jaeger and Kiali',
  toolbox: 'starting your terminal toolbox',
  smoke: 'testing that everything answers',
};

/** A provisioning step in words; an unknown one is shown as it is rather than hidden. */
export function provisioningStepWords(step: string): string {
  return (stepWords as Record<string, string>)[step] ?? step;
}

/** The environment as the page shows it: a short chip in the learner's words, never our state names. */
export interface EnvironmentWords {
  chip: string;
  /** One sentence for the chip's tooltip and screen readers. */
  detail: string;
  tone: 'ok' | 'busy' | 'off' | 'bad';
}

interface EnvironmentLike {
  status: string;
  hasCluster: boolean;
}

const byStatus: Record<string, EnvironmentWords> = {
  requested: { chip: 'Waiting for a cluster', detail: 'Your cluster is queued; it starts as soon as a slot is free.', tone: 'busy' },
  provisioning: { chip: 'Preparing your cluster', detail: 'Your cluster is being created; this takes a few minutes.', tone: 'busy' },
  ready: { chip: 'Cluster almost ready', detail: 'Your cluster is ready and is being handed to you.', tone: 'busy' },
  expiring: { chip: 'Cluster closing', detail: 'This cluster is being taken down; reload for a fresh one.', tone: 'off' },
  deleted: { chip: 'Cluster gone', detail: 'This cluster was deleted; reload for a fresh one.', tone: 'off' },
  failed: { chip: 'Cluster failed', detail: 'Your cluster could not be prepared; Reset gives you a new one.', tone: 'bad' },
};

/** Maps an environment status (the platform's state machine) to words a learner understands. */
export function environmentWords(env: EnvironmentLike): EnvironmentWords {
  if (env.status === 'assigned')
    return env.hasCluster
      ? { chip: 'Cluster ready', detail: 'Your terminal and the checks work against your own cluster.', tone: 'ok' }
      : {
          chip: 'No cluster (shell only)',
          detail: 'No cluster is attached: you can read, use the shell and see what each check looks for.',
          tone: 'off',
        };
  return byStatus[env.status] ?? { chip: 'Cluster status unknown', detail: `Unknown status "${env.status}".`, tone: 'bad' };
}
