import { createPublicKey, verify, type JsonWebKey } from 'node:crypto';
import { z } from 'zod';
import type { RequestAuthentication } from '../istio-schemas';
import { rootNamespace as defaultRoot } from './destination-rule-for-host';
import { policiesForWorkload, type Workload } from './policy-for-workload';

export type JwtRule = NonNullable<RequestAuthentication['spec']['jwtRules']>[number];

/** One jwtRule with the RequestAuthentication it came from. */
export interface AppliedJwtRule {
  rule: JwtRule;
  policy: RequestAuthentication;
}

/**
 * Every jwtRule the workload's proxy validates tokens with (Istio 1.30 pilot/pkg/model/authentication.go
 * `GetJwtPoliciesForWorkload`): all RequestAuthentications of the root namespace and of the workload's
 * namespace, without selector or with one that matches the workload, combined (unlike PeerAuthentication,
 * none wins over another). A policy with `targetRef(s)` attaches to a gateway, not by labels: skipped.
 */
export function jwtRulesForWorkload(all: RequestAuthentication[], w: Workload, root = defaultRoot): AppliedJwtRule[] {
  return policiesForWorkload(all, w, root)
    .filter(({ policy }) => !policy.spec.targetRef && !policy.spec.targetRefs?.length)
    .flatMap(({ policy }) => (policy.spec.jwtRules ?? []).map((rule) => ({ rule, policy })));
}

const jwksSchema = z.object({
  keys: z.array(z.looseObject({ kty: z.string(), kid: z.string().optional(), n: z.string().optional(), e: z.string().optional() })),
});

export type JwksReading = { ok: true; keys: Array<z.infer<typeof jwksSchema>['keys'][number]> } | { ok: false; problem: string };

/** An inline `jwks` as istiod reads it: a JSON key set with at least one key. */
export function readJwks(text: string | undefined): JwksReading {
  if (text === undefined || text.trim() === '') return { ok: false, problem: 'no jwks' };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, problem: 'jwks is not JSON' };
  }
  const parsed = jwksSchema.safeParse(json);
  if (!parsed.success) return { ok: false, problem: 'jwks has no "keys" list' };
  if (parsed.data.keys.length === 0) return { ok: false, problem: 'jwks has no keys' };
  return { ok: true, keys: parsed.data.keys };
}

const headerSchema = z.looseObject({ alg: z.string(), kid: z.string().optional() });
const claimsSchema = z.looseObject({
  iss: z.string().optional(),
  sub: z.string().optional(),
  aud: z.union([z.string(), z.array(z.string())]).optional(),
  exp: z.number().optional(),
  nbf: z.number().optional(),
});
export type JwtClaims = z.infer<typeof claimsSchema>;

export interface DecodedJwt {
  header: z.infer<typeof headerSchema>;
  claims: JwtClaims;
  signingInput: string;
  signature: Buffer;
}

function decodePart<T>(part: string, schema: z.ZodType<T>): T | undefined {
  try {
    const r = schema.safeParse(JSON.parse(Buffer.from(part, 'base64url').toString('utf8')));
    return r.success ? r.data : undefined;
  } catch {
    return undefined;
  }
}

/** A compact JWS split and decoded, or undefined when it is not Header.Payload.Signature of JSON parts. */
export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [h, p, s] = parts as [string, string, string];
  const header = decodePart(h, headerSchema);
  const claims = decodePart(p, claimsSchema);
  if (!header || !claims) return undefined;
  return { header, claims, signingInput: `${h}.${p}`, signature: Buffer.from(s, 'base64url') };
}

/** Whether one of the RSA keys verifies an RS256 signature (the only algorithm the lab's keys use). */
export function signatureVerifies(jwt: DecodedJwt, keys: JwksReading): boolean {
  if (!keys.ok || jwt.header.alg !== 'RS256') return false;
  return keys.keys.some((k) => {
    if (k.kty !== 'RSA' || !k.n || !k.e || (jwt.header.kid && k.kid && k.kid !== jwt.header.kid)) return false;
    try {
      const key = createPublicKey({ key: { kty: 'RSA', n: k.n, e: k.e } as JsonWebKey, format: 'jwk' });
      return verify('RSA-SHA256', Buffer.from(jwt.signingInput), key, jwt.signature);
    } catch {
      return false;
    }
  });
}

/** Why Envoy's jwt_authn filter refuses a token; `body` is its local 401 reply. */
export type JwtRejection =
  | { reason: 'malformed'; body: string }
  | { reason: 'unknown-issuer'; body: string }
  | { reason: 'no-keys'; body: string; rule: AppliedJwtRule }
  | { reason: 'signature'; body: string; rule: AppliedJwtRule }
  | { reason: 'expired'; body: string; rule: AppliedJwtRule }
  | { reason: 'audience'; body: string; rule: AppliedJwtRule };

export type Authentication =
  | { status: 'anonymous' }
  | { status: 'authenticated'; principal: string; claims: JwtClaims & Record<string, unknown>; rule: AppliedJwtRule }
  | ({ status: 'rejected' } & JwtRejection);

/**
 * Where Envoy looks for a token when a jwtRule sets neither `fromHeaders` nor `fromParams` (Istio 1.30
 * docs reference/config/security/jwt: "Authorization: Bearer <token>" header, then the `access_token`
 * query parameter).
 */
export function tokenFromRequest(headers: Record<string, string>, path: string): string | undefined {
  const auth = headers['authorization'];
  const bearer = auth ? /^Bearer\s+(.+)$/i.exec(auth.trim())?.[1] : undefined;
  if (bearer) return bearer.trim();
  return new URL(path, 'http://x').searchParams.get('access_token') ?? undefined;
}

/**
 * What a proxy with these jwtRules does with a request (Istio 1.30 docs tasks/security/authentication/
 * authn-policy "End-user authentication" and concepts/security "Request authentication"): no rules or no
 * token → anonymous (RequestAuthentication alone never requires a token); a token is checked against the
 * rule of its issuer (none → rejected), its keys (an unreachable `jwksUri` leaves istiod with a key set
 * that verifies nothing), expiry and audiences; any failure is a 401. The request principal is `iss/sub`.
 * `keysFor` lets a caller say what a `jwksUri` serves (learner clusters are offline: nothing).
 */
export function authenticate(
  rules: AppliedJwtRule[],
  request: { headers: Record<string, string>; path: string },
  o: { nowSeconds?: number; keysFor?: (rule: JwtRule) => JwksReading } = {},
): Authentication {
  const token = tokenFromRequest(request.headers, request.path);
  if (rules.length === 0 || token === undefined) return { status: 'anonymous' };
  const jwt = decodeJwt(token);
  if (!jwt) return { status: 'rejected', reason: 'malformed', body: 'Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections' };
  const rule = rules.find((r) => r.rule.issuer === jwt.claims.iss);
  if (!rule) return { status: 'rejected', reason: 'unknown-issuer', body: 'Jwt issuer is not configured' };
  const keys = rule.rule.jwks !== undefined ? readJwks(rule.rule.jwks) : (o.keysFor?.(rule.rule) ?? { ok: false as const, problem: 'jwksUri not reachable' });
  if (!keys.ok) return { status: 'rejected', reason: 'no-keys', body: 'Jwt verification fails', rule };
  if (!signatureVerifies(jwt, keys)) return { status: 'rejected', reason: 'signature', body: 'Jwt verification fails', rule };
  const now = o.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (jwt.claims.exp !== undefined && jwt.claims.exp < now) return { status: 'rejected', reason: 'expired', body: 'Jwt is expired', rule };
  const audiences = rule.rule.audiences ?? [];
  const tokenAud = jwt.claims.aud === undefined ? [] : Array.isArray(jwt.claims.aud) ? jwt.claims.aud : [jwt.claims.aud];
  if (audiences.length > 0 && !tokenAud.some((a) => audiences.includes(a))) return { status: 'rejected', reason: 'audience', body: 'Audiences in Jwt are not allowed', rule };
  return { status: 'authenticated', principal: `${jwt.claims.iss ?? ''}/${jwt.claims.sub ?? ''}`, claims: jwt.claims as JwtClaims & Record<string, unknown>, rule };
}
