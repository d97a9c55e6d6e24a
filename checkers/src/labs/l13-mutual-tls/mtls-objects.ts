import {
  effectiveMtls,
  effectivePolicy,
  isReady,
  pollBudgets,
  type CheckContext,
  type CurlResult,
  type MtlsDecision,
  type PeerAuthentication,
  type Workload,
} from '../../check-api';

export const labId = 'l13-mutual-tls';
/** Istio's root namespace in this installation (meshConfig.rootNamespace defaults to istio-system). */
export const rootNs = 'istio-system';
/** httpbin listens on 8080 behind Service port 8000: port-level mTLS is keyed by 8080. */
export const containerPort = 8080;
export const servicePort = 8000;

export const paRef = (p: PeerAuthentication) => `PeerAuthentication ${p.metadata.namespace}/${p.metadata.name}`;
export const httpbinHost = (ns: string) => `httpbin.${ns}`;

/** The labels httpbin's pods carry in a namespace (a Ready pod's, else the Deployment template's). */
export async function httpbinWorkload(ctx: Pick<CheckContext, 'cluster'>, ns: string): Promise<Workload> {
  const pods = await ctx.cluster.pods(ns, 'app=httpbin');
  const pod = pods.find(isReady) ?? pods[0];
  if (pod?.metadata?.labels) return { namespace: ns, labels: pod.metadata.labels };
  const [deployment] = await ctx.cluster.deployments(ns, 'app=httpbin');
  return { namespace: ns, labels: deployment?.spec?.template.metadata?.labels ?? { app: 'httpbin' } };
}

export interface MtlsView {
  pas: PeerAuthentication[];
  workload: Workload;
  /** At httpbin's container port. */
  decision: MtlsDecision;
  /** The oldest selector-less policy of the namespace (the one istiod uses), and those it ignores. */
  namespacePolicy?: PeerAuthentication;
  ignoredNamespacePolicies: PeerAuthentication[];
}

/** Every PeerAuthentication, and what they make of httpbin in `ns` on `port` (null: a port without port-level settings). */
export async function mtlsView(ctx: Pick<CheckContext, 'cluster'>, ns: string, port: number | null = containerPort): Promise<MtlsView> {
  const [pas, workload] = await Promise.all([ctx.cluster.peerAuthentications(), httpbinWorkload(ctx, ns)]);
  const decision = effectiveMtls(pas, workload, port ?? undefined, rootNs);
  // The namespace level as istiod sees it, whatever httpbin's labels (a workload policy may hide it).
  const nsOnly = effectivePolicy(pas.filter((p) => p.metadata.namespace === ns && !Object.keys(p.spec.selector?.matchLabels ?? {}).length), { namespace: ns, labels: {} }, rootNs);
  return { pas, workload, decision, namespacePolicy: nsOnly.byLevel.namespace, ignoredNamespacePolicies: nsOnly.ignored };
}

export const modeOf = (p: PeerAuthentication | undefined) => (p?.spec.mtls?.mode ?? 'UNSET').toUpperCase();

/** curl from the curl pod of `fromNs`, polled until `until` holds or the propagation budget ends. */
export async function callUntil(ctx: CheckContext, fromNs: string, url: string, until: (r: CurlResult) => boolean) {
  return ctx.poll(() => ctx.probes.curl(fromNs, 'app=curl', { url, maxTimeSeconds: 5 }), { ...pollBudgets.propagation, until });
}

/** What curl saw, in words: "200", or "000 (curl exit 56: connection reset)". */
export function describeCall(r: CurlResult): string {
  if (r.httpCode > 0) return `HTTP ${r.httpCode}`;
  const why: Record<number, string> = { 56: 'connection reset', 7: 'connection refused', 28: 'timed out', 6: 'name not resolved' };
  return `000 (curl exit ${r.curlExitCode}${why[r.curlExitCode] ? `: ${why[r.curlExitCode]}` : ''})`;
}

/** A plain-text call refused by STRICT: no HTTP answer, the connection reset (or closed) in the handshake. */
export const refused = (r: CurlResult) => r.httpCode === 0 && r.curlExitCode !== 6;
