import {
  authenticate,
  authorize,
  jwtRulesForWorkload,
  pollBudgets,
  type AuthorizationPolicy,
  type AuthzDecision,
  type CheckContext,
  type CurlResult,
  type RequestAuthentication,
  type Workload,
} from '../../check-api';
import { httpbinWorkload } from '../l13-mutual-tls/mtls-objects';
import { sampleIssuer } from './sample-tokens';

export const labId = 'l14-jwt-authentication';
export const namespace = 'foo';
export const httpbinUrl = 'http://httpbin.foo:8000/headers';
/** The request principal of both toolbox tokens: `<iss>/<sub>`. */
export const samplePrincipal = `${sampleIssuer}/${sampleIssuer}`;

export const raRef = (p: RequestAuthentication) => `RequestAuthentication ${p.metadata.namespace}/${p.metadata.name}`;
export const apRef = (p: AuthorizationPolicy) => `AuthorizationPolicy ${p.metadata.namespace}/${p.metadata.name}`;

export interface JwtView {
  ras: RequestAuthentication[];
  aps: AuthorizationPolicy[];
  workload: Workload;
}

export async function jwtView(ctx: Pick<CheckContext, 'cluster'>): Promise<JwtView> {
  const [ras, aps, workload] = await Promise.all([ctx.cluster.requestAuthentications(), ctx.cluster.authorizationPolicies(), httpbinWorkload(ctx, namespace)]);
  return { ras, aps, workload };
}

/** Where a request arrives: the proxy's workload, and what the request says of itself. */
export interface Arrival {
  workload: Workload;
  host: string;
  path: string;
  port: number;
  /** The caller's mTLS identity; absent from outside the mesh (at the ingress gateway). */
  principal?: string;
}

/**
 * What a proxy does with a GET carrying `token` (or none): jwt_authn by the RequestAuthentication
 * rule, then RBAC by the authorization rule, as the mesh would. By default, httpbin's sidecar for a
 * call from foo/curl (over auto mTLS).
 */
export function decideFor(view: JwtView, token: string | undefined, at?: Arrival): { status: 401; body: string } | { status: 'rbac'; decision: AuthzDecision } {
  const arrival = at ?? { workload: view.workload, host: 'httpbin.foo', path: '/headers', port: 8080, principal: 'cluster.local/ns/foo/sa/curl' };
  const headers: Record<string, string> = token === undefined ? {} : { authorization: `Bearer ${token}` };
  const authn = authenticate(jwtRulesForWorkload(view.ras, arrival.workload), { headers, path: arrival.path });
  if (authn.status === 'rejected') return { status: 401, body: authn.body };
  const decision = authorize(view.aps, arrival.workload, {
    method: 'GET',
    path: arrival.path,
    port: arrival.port,
    host: arrival.host,
    headers,
    ...(arrival.principal ? { principal: arrival.principal } : {}),
    ...(authn.status === 'authenticated' ? { requestPrincipal: authn.principal, claims: authn.claims } : {}),
  });
  return { status: 'rbac', decision };
}

export const allowed = (d: ReturnType<typeof decideFor>) => d.status === 'rbac' && d.decision.allowed;

/** ALLOW policies that select httpbin in foo (the ones this lab's steps write). */
export function httpbinAllowPolicies(view: JwtView): AuthorizationPolicy[] {
  return view.aps.filter((p) => p.metadata.namespace === namespace && (p.spec.action ?? 'ALLOW').toUpperCase() === 'ALLOW' && (p.spec.selector?.matchLabels?.['app'] ?? 'httpbin') === 'httpbin');
}

/** curl from foo/curl to httpbin with `token` (or none), polled until `until` holds (config propagation). */
export function callUntil(ctx: CheckContext, token: string | undefined, until: (r: CurlResult) => boolean) {
  const headers: Record<string, string> = token === undefined ? {} : { authorization: `Bearer ${token}` };
  return ctx.poll(() => ctx.probes.curl(namespace, 'app=curl', { url: httpbinUrl, headers, maxTimeSeconds: 5 }), { ...pollBudgets.propagation, until });
}
