import type { V1Deployment, V1Pod } from '@kubernetes/client-node';
import { isReady } from '../../pods';
import { selectorMatches } from './object-refs';

export interface PodProblem {
  pod: string;
  why: 'pending' | 'not-ready' | 'wrong-shape' | 'failed';
}

export interface WorkloadReadiness {
  ready: boolean;
  /** Non-terminating pods of the workload, Running and Ready and of the expected shape. */
  good: V1Pod[];
  /** Pods that keep the step from being done (a Pending new pod during a rollout is one). */
  problems: PodProblem[];
  /** One line for `actual`. */
  detail: string;
}

/** Pods a Deployment's selector picks in its namespace, terminating ones dropped (they are on their way out). */
export function podsOfDeployment(d: V1Deployment, pods: V1Pod[]): V1Pod[] {
  const ns = d.metadata?.namespace;
  const sel = d.spec?.selector?.matchLabels;
  return pods.filter(
    (p) => !p.metadata?.deletionTimestamp && (ns === undefined || p.metadata?.namespace === ns) && sel !== undefined && selectorMatches(sel, p.metadata?.labels),
  );
}

/**
 * Whether a workload has settled into the state a step asks for: at least one pod, and every
 * non-terminating pod of the Deployment Running, Ready (the Pod Ready condition covers every
 * container, native sidecars included) and of the expected `shape` (e.g. "has istio-proxy").
 * Looking only at Running pods would count a rollout as done while its new pod is still Pending
 * and the old one, of the old shape, still serves (Kubernetes docs concepts/workloads/pods/pod-lifecycle).
 */
export function workloadReadiness(d: V1Deployment, pods: V1Pod[], shape: (p: V1Pod) => boolean = () => true): WorkloadReadiness {
  const mine = podsOfDeployment(d, pods);
  const good: V1Pod[] = [];
  const problems: PodProblem[] = [];
  for (const p of mine) {
    const name = p.metadata?.name ?? '';
    const phase = p.status?.phase;
    if (phase === 'Pending' || phase === undefined) problems.push({ pod: name, why: 'pending' });
    else if (phase !== 'Running') problems.push({ pod: name, why: 'failed' });
    else if (!isReady(p)) problems.push({ pod: name, why: 'not-ready' });
    else if (!shape(p)) problems.push({ pod: name, why: 'wrong-shape' });
    else good.push(p);
  }
  const ready = mine.length > 0 && problems.length === 0;
  const detail =
    mine.length === 0
      ? 'no pods'
      : problems.length === 0
        ? `${good.length} pod(s) Running and Ready`
        : problems.map((x) => `${x.pod} ${x.why === 'pending' ? 'Pending' : x.why === 'failed' ? 'failed' : x.why === 'not-ready' ? 'not Ready' : 'not yet in the new shape'}`).join(', ');
  return { ready, good, problems, detail };
}
