import { describe, expect, it } from 'vitest';
import { destinationRuleFor } from './destination-rule-for-host';
import { serviceFqdn } from './host-names';
import { istioYaml } from './testdata/load-istio-yaml';

const drs = istioYaml(`
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews-root, namespace: istio-system}
spec: {host: reviews.default.svc.cluster.local, subsets: [{name: v1, labels: {version: v1}}]}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews, namespace: default, creationTimestamp: "2026-01-02T00:00:00Z"}
spec: {host: reviews, subsets: [{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}]}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews-old, namespace: default, creationTimestamp: "2026-01-01T00:00:00Z"}
spec: {host: reviews}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews-mine, namespace: intro}
spec: {host: reviews.default.svc.cluster.local, exportTo: ["."]}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: ratings-hidden, namespace: default}
spec: {host: ratings, exportTo: ["."]}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: all-local, namespace: istio-system}
spec: {host: "*.local"}
`).destinationRules();

describe('destinationRuleFor', () => {
  const reviews = serviceFqdn('reviews', 'default');
  it('client namespace first', () => {
    const r = destinationRuleFor(drs, { host: reviews, clientNamespace: 'intro', serviceNamespace: 'default' });
    expect(r.dr?.metadata.name).toBe('reviews-mine');
    expect(r.level).toBe('client-namespace');
  });
  it('then the service namespace; duplicates come back oldest first', () => {
    const r = destinationRuleFor(drs, { host: reviews, clientNamespace: 'ops', serviceNamespace: 'default' });
    expect(r.level).toBe('service-namespace');
    expect(r.sameLevel.map((d) => d.metadata.name)).toEqual(['reviews-old', 'reviews']);
    expect(r.ignored.map((d) => d.metadata.name)).toContain('reviews-root');
  });
  it('then the root namespace, where exportTo "." in the service namespace hides a rule', () => {
    const r = destinationRuleFor(drs, { host: serviceFqdn('ratings', 'default'), clientNamespace: 'intro', serviceNamespace: 'default' });
    expect(r.level).toBe('root-namespace');
    expect(r.dr?.metadata.name).toBe('all-local');
  });
  it('nothing applies from an unrelated namespace', () => {
    const r = destinationRuleFor(drs, { host: 'api.example.com', clientNamespace: 'default' });
    expect(r.dr).toBeUndefined();
  });
});
