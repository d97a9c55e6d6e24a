import type { PeerAuthentication } from '../istio-schemas';
import { rootNamespace as defaultRoot } from './destination-rule-for-host';
import { effectivePolicy, type PolicyLevel, type Workload } from './policy-for-workload';

export type MtlsMode = 'STRICT' | 'PERMISSIVE' | 'DISABLE';

export interface MtlsDecision {
  /** What the workload's sidecar accepts on this port. */
  mode: MtlsMode;
  /** The policy (and its level) whose setting decided it; undefined = Istio's default PERMISSIVE. */
  from?: { policy: PeerAuthentication; level: PolicyLevel; portLevel: boolean };
  /** Same-level policies istiod ignores because an older one exists. */
  ignored: PeerAuthentication[];
}

function modeOf(value: string | undefined): MtlsMode | undefined {
  const m = (value ?? '').toUpperCase();
  return m === 'STRICT' || m === 'PERMISSIVE' || m === 'DISABLE' ? m : undefined;
}

/**
 * The mTLS mode a workload's sidecar applies to inbound traffic on one container port (Istio 1.30
 * pilot/pkg/model/authentication.go `ComposePeerAuthentication`; docs: tasks/security/authentication/
 * authn-policy, reference/config/security/peer_authentication):
 * - mesh-wide (root namespace, no selector), then namespace-wide, then workload (selector) policy;
 *   each level's `mtls.mode` overrides the one above unless it is UNSET (or absent), which inherits;
 * - only a workload policy's `portLevelMtls` applies, keyed by the port the workload listens on (the
 *   container / target port, not the Service port); UNSET there inherits the workload's mode;
 * - within a level the oldest policy wins and later ones are ignored;
 * - nothing set anywhere: PERMISSIVE.
 */
export function effectiveMtls(all: PeerAuthentication[], workload: Workload, containerPort: number | undefined, root = defaultRoot): MtlsDecision {
  const { byLevel, ignored } = effectivePolicy(all, workload, root);
  let decision: MtlsDecision = { mode: 'PERMISSIVE', ignored };
  for (const level of ['root', 'namespace', 'workload'] as const) {
    const policy = byLevel[level];
    if (!policy) continue;
    const mode = modeOf(policy.spec.mtls?.mode);
    if (mode) decision = { mode, from: { policy, level, portLevel: false }, ignored };
    if (level === 'workload' && containerPort !== undefined) {
      const portMode = modeOf(policy.spec.portLevelMtls?.[String(containerPort)]?.mode);
      if (portMode) decision = { mode: portMode, from: { policy, level, portLevel: true }, ignored };
    }
  }
  return decision;
}

/**
 * Whether a sidecar client talks mTLS to a server (auto mTLS, Istio 1.30 docs concepts/security
 * "Auto mutual TLS"): yes when the server has a sidecar and does not DISABLE mTLS, unless the
 * client's DestinationRule sets a TLS mode (DISABLE: plaintext, which a STRICT server refuses).
 */
export function clientUsesMtls(options: { clientHasProxy: boolean; serverHasProxy: boolean; serverMode: MtlsMode; destinationRuleTlsMode?: string }): boolean {
  if (!options.clientHasProxy) return false;
  const dr = (options.destinationRuleTlsMode ?? '').toUpperCase();
  if (dr === 'DISABLE' || dr === 'SIMPLE' || dr === 'MUTUAL') return false;
  if (dr === 'ISTIO_MUTUAL') return options.serverHasProxy;
  return options.serverHasProxy && options.serverMode !== 'DISABLE';
}

/** Whether the server's sidecar accepts the connection: STRICT refuses plaintext, the others take both. */
export function serverAccepts(mode: MtlsMode, mtls: boolean): boolean {
  return mode !== 'STRICT' || mtls;
}
