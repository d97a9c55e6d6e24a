import type { AuthorizationPolicy, AuthorizationRule } from '../istio-schemas';
import { rootNamespace as defaultRoot } from './destination-rule-for-host';
import { policiesForWorkload, type Workload } from './policy-for-workload';

/** What the server-side proxy knows about one request when it authorizes it. */
export interface AuthzRequest {
  method: string;
  /** Path with query, as Envoy matches it (the query is not part of `paths`). */
  path: string;
  host?: string;
  port?: number;
  /** The caller's mTLS identity, e.g. cluster.local/ns/default/sa/bookinfo-productpage; absent over plain text. */
  principal?: string;
  /** Request headers, lower-case names (for `when: request.headers[...]`). */
  headers?: Record<string, string>;
  /** `iss/sub` of a JWT a RequestAuthentication validated (request-authentication.ts); absent without one. */
  requestPrincipal?: string;
  /** That JWT's claims (for `when: request.auth.claims[...]`). */
  claims?: Record<string, unknown>;
}

export type AuthzDecision =
  | { allowed: true; reason: 'no-allow-policy' | 'allowed'; policy?: AuthorizationPolicy }
  | { allowed: false; reason: 'denied' | 'no-allow-match'; policy?: AuthorizationPolicy; allowPolicies: AuthorizationPolicy[] };

/**
 * Istio's string match for authorization fields (docs reference/config/security/authorization-policy,
 * "exact, prefix, suffix and presence match"): `*` alone matches any non-empty value, `abc*` a prefix,
 * `*abc` a suffix, anything else exactly.
 */
export function authzValueMatches(pattern: string, value: string | undefined): boolean {
  if (value === undefined) return false;
  if (pattern === '*') return value !== '';
  if (pattern.endsWith('*')) return value.startsWith(pattern.slice(0, -1));
  if (pattern.startsWith('*')) return value.endsWith(pattern.slice(1));
  return pattern === value;
}

const anyOf = (patterns: string[] | undefined, value: string | undefined) => patterns === undefined || patterns.some((p) => authzValueMatches(p, value));
const noneOf = (patterns: string[] | undefined, value: string | undefined) => patterns === undefined || !patterns.some((p) => authzValueMatches(p, value));
const nsOf = (principal: string | undefined) => /\/ns\/([^/]+)\/sa\//.exec(principal ?? '')?.[1];
/** `serviceAccounts: [ns/name]` is the principal cluster.local/ns/<ns>/sa/<name> (trust domain aside). */
const saPattern = (sa: string) => {
  const [ns, name] = sa.includes('/') ? sa.split('/') : ['', sa];
  return `*/ns/${ns}/sa/${name}`;
};

/**
 * A claim by the path in `request.auth.claims[a][b]` (nested objects), as the strings Istio compares:
 * a string, or each string of a list (docs reference/config/security/conditions: "a list claim matches
 * when any of its values does").
 */
function claimValues(claims: Record<string, unknown> | undefined, path: string[]): string[] {
  let v: unknown = claims;
  for (const k of path) v = v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>)[k] : undefined;
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  if (typeof v === 'number' || typeof v === 'boolean') return [String(v)];
  return [];
}

function whenMatches(when: NonNullable<AuthorizationRule['when']>[number], req: AuthzRequest): boolean {
  const header = /^request\.headers\[(.+)\]$/.exec(when.key);
  const claim = /^request\.auth\.claims((?:\[[^\]]+\])+)$/.exec(when.key);
  let values: Array<string | undefined>;
  if (header) values = [req.headers?.[(header[1] ?? '').toLowerCase()]];
  else if (claim) values = claimValues(req.claims, [...(claim[1] ?? '').matchAll(/\[([^\]]+)\]/g)].map((m) => m[1] ?? ''));
  else if (when.key === 'request.auth.principal') values = [req.requestPrincipal];
  else if (when.key === 'request.auth.audiences') values = claimValues(req.claims, ['aud']);
  else if (when.key === 'request.auth.presenter') values = claimValues(req.claims, ['azp']);
  else if (when.key === 'source.principal') values = [req.principal];
  else if (when.key === 'source.namespace') values = [nsOf(req.principal)];
  else if (when.key === 'destination.port') values = [req.port === undefined ? undefined : String(req.port)];
  else return false; // a key this model does not know never matches
  if (values.length === 0) values = [undefined];
  const positive = when.values === undefined || values.some((v) => anyOf(when.values, v));
  const negative = when.notValues === undefined || values.every((v) => noneOf(when.notValues, v));
  return positive && negative;
}

/** Whether one rule matches the request: any `from`, any `to`, all `when` (each omitted part matches). */
export function ruleMatches(rule: AuthorizationRule, req: AuthzRequest): boolean {
  const pathOnly = req.path.split('?')[0] ?? req.path;
  const from =
    !rule.from?.length ||
    rule.from.some(({ source: s = {} }) => {
      const ns = nsOf(req.principal);
      return (
        anyOf(s.principals, req.principal) &&
        noneOf(s.notPrincipals, req.principal) &&
        anyOf(s.namespaces, ns) &&
        noneOf(s.notNamespaces, ns) &&
        anyOf(s.serviceAccounts?.map(saPattern), req.principal) &&
        noneOf(s.notServiceAccounts?.map(saPattern), req.principal) &&
        // requestPrincipals need a JWT a RequestAuthentication validated: `iss/sub`, absent without one.
        anyOf(s.requestPrincipals, req.requestPrincipal) &&
        noneOf(s.notRequestPrincipals, req.requestPrincipal)
      );
    });
  const to =
    !rule.to?.length ||
    rule.to.some(({ operation: o = {} }) => {
      const port = req.port === undefined ? undefined : String(req.port);
      return (
        anyOf(o.methods, req.method) &&
        noneOf(o.notMethods, req.method) &&
        anyOf(o.paths, pathOnly) &&
        noneOf(o.notPaths, pathOnly) &&
        anyOf(o.hosts, req.host) &&
        noneOf(o.notHosts, req.host) &&
        anyOf(o.ports, port) &&
        noneOf(o.notPorts, port)
      );
    });
  return from && to && (rule.when ?? []).every((w) => whenMatches(w, req));
}

/** A policy matches when any of its rules does; no `rules` at all matches nothing (allow-nothing). */
export function policyMatches(policy: AuthorizationPolicy, req: AuthzRequest): boolean {
  return (policy.spec.rules ?? []).some((r) => ruleMatches(r, req));
}

/**
 * The server-side proxy's decision (Istio 1.30 docs concepts/security "Authorization policy
 * precedence", pilot/pkg/security/authz/builder): every policy attached to the workload counts
 * (workload selector, its namespace, the root namespace); CUSTOM is not modelled; any matching DENY
 * denies; then, if ALLOW policies apply, the request needs one that matches, else it is allowed.
 */
export function authorize(all: AuthorizationPolicy[], workload: Workload, req: AuthzRequest, root = defaultRoot): AuthzDecision {
  const attached = policiesForWorkload(all, workload, root).map((l) => l.policy);
  const action = (p: AuthorizationPolicy) => (p.spec.action ?? 'ALLOW').toUpperCase();
  const deny = attached.find((p) => action(p) === 'DENY' && policyMatches(p, req));
  const allows = attached.filter((p) => action(p) === 'ALLOW');
  if (deny) return { allowed: false, reason: 'denied', policy: deny, allowPolicies: allows };
  if (allows.length === 0) return { allowed: true, reason: 'no-allow-policy' };
  const allow = allows.find((p) => policyMatches(p, req));
  return allow ? { allowed: true, reason: 'allowed', policy: allow } : { allowed: false, reason: 'no-allow-match', allowPolicies: allows };
}

/** The mTLS principal of a pod's service account (trust domain cluster.local). */
export function principalOf(namespace: string, serviceAccount: string | undefined): string {
  return `cluster.local/ns/${namespace}/sa/${serviceAccount ?? 'default'}`;
}
