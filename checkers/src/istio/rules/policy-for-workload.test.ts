import { describe, expect, it } from 'vitest';
import { effectivePolicy, policiesForWorkload } from './policy-for-workload';
import { istioYaml } from './testdata/load-istio-yaml';

const pas = istioYaml(`
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: mesh, namespace: istio-system}
spec: {mtls: {mode: STRICT}}
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: ns-new, namespace: default, creationTimestamp: "2026-02-01T00:00:00Z"}
spec: {mtls: {mode: DISABLE}}
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: ns-old, namespace: default, creationTimestamp: "2026-01-01T00:00:00Z"}
spec: {mtls: {mode: PERMISSIVE}}
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: ratings-only, namespace: default}
spec: {selector: {matchLabels: {app: ratings}}, mtls: {mode: STRICT}}
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: elsewhere, namespace: intro}
spec: {mtls: {mode: DISABLE}}
`).peerAuthentications();

describe('policies for a workload', () => {
  it('selector over namespace over root; the oldest of duplicates wins', () => {
    const reviews = effectivePolicy(pas, { namespace: 'default', labels: { app: 'reviews' } });
    expect(reviews.winner).toMatchObject({ level: 'namespace', policy: { metadata: { name: 'ns-old' } } });
    expect(reviews.ignored.map((p) => p.metadata.name)).toEqual(['ns-new']);
    const ratings = effectivePolicy(pas, { namespace: 'default', labels: { app: 'ratings' } });
    expect(ratings.winner?.policy.metadata.name).toBe('ratings-only');
    const outside = effectivePolicy(pas, { namespace: 'ops', labels: {} });
    expect(outside.winner).toMatchObject({ level: 'root', policy: { metadata: { name: 'mesh' } } });
  });
  it('lists every attached policy (AuthorizationPolicy combines them)', () => {
    expect(policiesForWorkload(pas, { namespace: 'default', labels: { app: 'ratings' } }).map((p) => `${p.level}:${p.policy.metadata.name}`)).toEqual([
      'root:mesh',
      'workload:ratings-only',
      'namespace:ns-old',
      'namespace:ns-new',
    ]);
  });
});
