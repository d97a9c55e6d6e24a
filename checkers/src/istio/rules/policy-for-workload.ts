import { rootNamespace as defaultRoot } from './destination-rule-for-host';
import { selectorMatches } from './object-refs';

/** The part of a PeerAuthentication, AuthorizationPolicy, RequestAuthentication or Telemetry this rule reads. */
export interface WorkloadPolicy {
  metadata: { name: string; namespace: string; creationTimestamp?: string | Date };
  spec: { selector?: { matchLabels?: Record<string, string> } | null };
}

export interface Workload {
  namespace: string;
  labels: Record<string, string>;
}

export type PolicyLevel = 'workload' | 'namespace' | 'root';

export interface LevelledPolicy<P> {
  policy: P;
  level: PolicyLevel;
}

function selectorOf(p: WorkloadPolicy): Record<string, string> | undefined {
  const m = p.spec.selector?.matchLabels;
  return m && Object.keys(m).length ? m : undefined;
}

function created(p: WorkloadPolicy): number {
  return p.metadata.creationTimestamp ? new Date(p.metadata.creationTimestamp).getTime() : 0;
}

/** Oldest first, name as tie-break (istiod sorts by creation time: pilot/pkg/model `sortConfigByCreationTime`). */
export function oldestFirst<P extends WorkloadPolicy>(list: P[]): P[] {
  return [...list].sort((a, b) => created(a) - created(b) || a.metadata.name.localeCompare(b.metadata.name));
}

/**
 * Every policy of one kind that attaches to a workload, with its level (Istio 1.30
 * pilot/pkg/model/authentication.go `getConfigsForWorkload`, authorization.go): policies in the
 * workload's namespace and in the root namespace; one without selector covers the whole namespace
 * (the whole mesh in the root namespace), one with `selector.matchLabels` only workloads whose labels
 * include them (in the root namespace: matching workloads of every namespace). Oldest first.
 * AuthorizationPolicy and RequestAuthentication combine all of these; for single-winner kinds use
 * `effectivePolicy`.
 */
export function policiesForWorkload<P extends WorkloadPolicy>(all: P[], w: Workload, root = defaultRoot): Array<LevelledPolicy<P>> {
  const out: Array<LevelledPolicy<P>> = [];
  for (const p of oldestFirst(all)) {
    const ns = p.metadata.namespace;
    if (ns !== w.namespace && ns !== root) continue;
    const sel = selectorOf(p);
    if (sel && !selectorMatches(sel, w.labels)) continue;
    const level: PolicyLevel = sel ? 'workload' : ns === root && ns !== w.namespace ? 'root' : 'namespace';
    out.push({ policy: p, level });
  }
  return out;
}

export interface EffectivePolicy<P> {
  /** The policy whose settings win: workload over namespace over root; within a level the oldest. */
  winner?: LevelledPolicy<P>;
  /** Per level, the oldest policy (later ones of the same level are ignored by istiod). */
  byLevel: Partial<Record<PolicyLevel, P>>;
  /** Same-level policies istiod ignores because an older one exists (PeerAuthentication logs them; IST0159/IST0160 for Telemetry). */
  ignored: P[];
}

/**
 * The single-winner view for PeerAuthentication (mTLS mode: workload over namespace over mesh-wide root,
 * the oldest of duplicate namespace/mesh policies wins, authentication.go `addPeerAuthentication`) and
 * Telemetry (telemetry.go `applicableTelemetries`: root, then namespace, then workload override).
 * A level's setting left UNSET inherits from the level above; reading the field is the caller's part.
 */
export function effectivePolicy<P extends WorkloadPolicy>(all: P[], w: Workload, root = defaultRoot): EffectivePolicy<P> {
  const byLevel: Partial<Record<PolicyLevel, P>> = {};
  const ignored: P[] = [];
  for (const { policy, level } of policiesForWorkload(all, w, root)) {
    if (byLevel[level]) ignored.push(policy);
    else byLevel[level] = policy;
  }
  const order: PolicyLevel[] = ['workload', 'namespace', 'root'];
  const level = order.find((l) => byLevel[l] !== undefined);
  return { winner: level ? { policy: byLevel[level]!, level } : undefined, byLevel, ignored };
}
