import { describe, expect, it } from 'vitest';
import { destinationRuleSchema, virtualServiceSchema, type DestinationRule, type VirtualService } from './istio-schemas';
import { oneDestinationRule, oneMeshVirtualService } from './mesh-lookups';

const vs = (name: string, ns: string, hosts: string[]): VirtualService =>
  virtualServiceSchema.parse({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name, namespace: ns }, spec: { hosts, http: [{ route: [{ destination: { host: hosts[0] } }] }] } });
const dr = (name: string, ns: string, host: string): DestinationRule =>
  destinationRuleSchema.parse({ apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name, namespace: ns }, spec: { host } });
const missing = { hint: 'create one', next: 'kubectl apply -f reviews-vs.yaml' };

describe('oneMeshVirtualService', () => {
  it('finds the VS by meaning: short name in its namespace or the FQDN from anywhere', () => {
    expect(oneMeshVirtualService([vs('r', 'default', ['reviews'])], 'reviews', 'default', 'X', missing).found?.metadata.name).toBe('r');
    expect(oneMeshVirtualService([vs('r', 'intro', ['reviews.default.svc.cluster.local'])], 'reviews', 'default', 'X', missing).found).toBeDefined();
  });

  it('does not take a short name from another namespace: `reviews` in intro is reviews.intro', () => {
    const r = oneMeshVirtualService([vs('r', 'intro', ['reviews'])], 'reviews', 'default', 'X', missing);
    expect(r.found).toBeUndefined();
    expect(r.problems[0]?.hint).toBe('create one');
  });

  it('explains `name.ns`: DNS resolves it, istiod does not expand it', () => {
    const r = oneMeshVirtualService([vs('r', 'default', ['reviews.default'])], 'reviews', 'default', 'L05.VS', missing);
    expect(r.found).toBeUndefined();
    expect(r.problems[0]).toMatchObject({ code: 'L05.VS', status: 'fail', actual: 'default/r uses host reviews.default' });
    expect(r.problems[0]?.hint).toMatch(/taken literally.*reviews\.default\.svc\.cluster\.local/);
  });

  it('reports two VS for one host as IST0109', () => {
    const r = oneMeshVirtualService([vs('a', 'default', ['reviews']), vs('b', 'default', ['reviews.default.svc.cluster.local'])], 'reviews', 'default', 'X', missing);
    expect(r.problems[0]?.code).toBe('IST0109');
  });
});

describe('oneDestinationRule', () => {
  it('explains `name.ns.svc` on a DR host', () => {
    const r = oneDestinationRule([dr('d', 'intro', 'httpbin.intro.svc')], 'httpbin', 'intro', 'L08.DR', missing);
    expect(r.problems[0]).toMatchObject({ code: 'L08.DR', actual: 'intro/d uses host httpbin.intro.svc' });
    expect(r.problems[0]?.hint).toMatch(/Istio expands only a bare service name/);
  });
  it('finds the DR by FQDN', () => {
    expect(oneDestinationRule([dr('d', 'default', 'httpbin.intro.svc.cluster.local')], 'httpbin', 'intro', 'X', missing).found).toBeDefined();
  });
});
