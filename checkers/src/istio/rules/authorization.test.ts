import { describe, expect, it } from 'vitest';
import { authorizationPolicySchema, type AuthorizationPolicy } from '../istio-schemas';
import { authorize, authzValueMatches, principalOf } from './authorization';

const ap = (ns: string, name: string, spec: Record<string, unknown>): AuthorizationPolicy =>
  authorizationPolicySchema.parse({ apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { namespace: ns, name }, spec });
const details = { namespace: 'default', labels: { app: 'details', version: 'v1' } };
const fromProductpage = { method: 'GET', path: '/details/0', principal: principalOf('default', 'bookinfo-productpage') };

describe('authorization', () => {
  it('matches values exactly, by prefix, by suffix and by presence', () => {
    expect(authzValueMatches('/api/v1/products*', '/api/v1/products/0')).toBe(true);
    expect(authzValueMatches('/api/v1/products', '/api/v1/products/0')).toBe(false);
    expect(authzValueMatches('*/sa/bookinfo-reviews', 'cluster.local/ns/default/sa/bookinfo-reviews')).toBe(true);
    expect(authzValueMatches('*', '')).toBe(false);
  });

  it('allows everything without policies, and nothing under an empty ALLOW policy (allow-nothing)', () => {
    expect(authorize([], details, fromProductpage).allowed).toBe(true);
    expect(authorize([ap('default', 'allow-nothing', {})], details, fromProductpage)).toMatchObject({ allowed: false, reason: 'no-allow-match' });
    // In the root namespace it applies to the whole mesh.
    expect(authorize([ap('istio-system', 'allow-nothing', {})], details, fromProductpage).allowed).toBe(false);
  });

  it('allows a request some ALLOW rule matches: principals, serviceAccounts, namespaces, methods', () => {
    const byPrincipal = ap('default', 'details-viewer', { selector: { matchLabels: { app: 'details' } }, rules: [{ from: [{ source: { principals: ['cluster.local/ns/default/sa/bookinfo-productpage'] } }], to: [{ operation: { methods: ['GET'] } }] }] });
    const bySa = ap('default', 'details-viewer', { selector: { matchLabels: { app: 'details' } }, rules: [{ from: [{ source: { serviceAccounts: ['default/bookinfo-productpage'] } }] }] });
    const base = ap('default', 'allow-nothing', {});
    expect(authorize([base, byPrincipal], details, fromProductpage)).toMatchObject({ allowed: true, reason: 'allowed' });
    expect(authorize([base, bySa], details, fromProductpage).allowed).toBe(true);
    expect(authorize([base, byPrincipal], details, { ...fromProductpage, method: 'POST' }).allowed).toBe(false);
    // Without mTLS there is no principal: the rule cannot match.
    expect(authorize([base, byPrincipal], details, { ...fromProductpage, principal: undefined }).allowed).toBe(false);
    // A principal without "cluster.local/ns/" never equals the identity.
    const short = ap('default', 'details-viewer', { selector: { matchLabels: { app: 'details' } }, rules: [{ from: [{ source: { principals: ['bookinfo-productpage'] } }] }] });
    expect(authorize([base, short], details, fromProductpage).allowed).toBe(false);
  });

  it('lets a matching DENY win over any ALLOW', () => {
    const allowAll = ap('default', 'allow-all', { rules: [{}] });
    const denyPost = ap('default', 'deny-post', { action: 'DENY', rules: [{ to: [{ operation: { methods: ['POST'], paths: ['/api/v1/products*'] } }] }] });
    const pp = { namespace: 'default', labels: { app: 'productpage' } };
    expect(authorize([allowAll, denyPost], pp, { method: 'POST', path: '/api/v1/products/0' })).toMatchObject({ allowed: false, reason: 'denied' });
    expect(authorize([allowAll, denyPost], pp, { method: 'GET', path: '/api/v1/products/0' }).allowed).toBe(true);
    expect(authorize([allowAll, denyPost], pp, { method: 'POST', path: '/api/v1/products/0?x=1' }).allowed).toBe(false);
  });
});
