import { describe, expect, it } from 'vitest';
import { serviceFqdn } from './host-names';
import { virtualServicesForHost } from './virtual-services-for-host';
import { istioYaml } from './testdata/load-istio-yaml';

const objects = istioYaml(`
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: default}
spec:
  hosts: [reviews]
  http: [{route: [{destination: {host: reviews, subset: v1}}]}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews-private, namespace: default}
spec:
  hosts: [reviews.default.svc.cluster.local]
  exportTo: ["."]
  http: [{route: [{destination: {host: reviews, subset: v2}}]}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: intro}
spec:
  hosts: [reviews]
  http: [{route: [{destination: {host: reviews}}]}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: dotted, namespace: default}
spec:
  hosts: [ratings.default]
  http: [{route: [{destination: {host: ratings}}]}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: edge, namespace: default}
spec:
  hosts: [details]
  gateways: [bookinfo-gateway]
  http: [{route: [{destination: {host: details}}]}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: both, namespace: default}
spec:
  hosts: [productpage]
  gateways: [mesh, istio-system/edge]
  exportTo: [intro]
  http: [{route: [{destination: {host: productpage}}]}]
`).virtualServices();

const names = (list: { metadata: { namespace: string; name: string } }[]) => list.map((v) => `${v.metadata.namespace}/${v.metadata.name}`);

describe('virtualServicesForHost', () => {
  it('finds the VS by resolved host and applies exportTo "." to the client namespace', () => {
    const fromDefault = virtualServicesForHost(objects, { host: serviceFqdn('reviews', 'default'), clientNamespace: 'default' });
    expect(names(fromDefault.applies)).toEqual(['default/reviews', 'default/reviews-private']);
    const fromIntro = virtualServicesForHost(objects, { host: serviceFqdn('reviews', 'default'), clientNamespace: 'intro' });
    expect(names(fromIntro.applies)).toEqual(['default/reviews']);
    expect(fromIntro.misses.find((m) => m.reason === 'hidden-by-export-to')?.detail).toContain('not to intro');
  });
  it('a short host in another namespace resolves elsewhere, and the miss names the FQDN', () => {
    const r = virtualServicesForHost(objects, { host: serviceFqdn('reviews', 'default'), clientNamespace: 'default' });
    const miss = r.misses.find((m) => m.vs.metadata.namespace === 'intro');
    expect(miss?.reason).toBe('resolves-elsewhere');
    expect(miss?.detail).toContain('reviews.intro.svc.cluster.local');
  });
  it('name.ns is taken literally (partial name)', () => {
    const r = virtualServicesForHost(objects, { host: serviceFqdn('ratings', 'default'), clientNamespace: 'default' });
    expect(r.applies).toEqual([]);
    expect(r.misses[0]?.reason).toBe('partial-name');
  });
  it('gateways: a VS bound only to a Gateway does not apply to sidecars, and does to that gateway', () => {
    const host = serviceFqdn('details', 'default');
    expect(virtualServicesForHost(objects, { host, clientNamespace: 'default' }).misses[0]?.reason).toBe('other-gateways');
    expect(names(virtualServicesForHost(objects, { host, clientNamespace: 'istio-system', gateway: { namespace: 'default', name: 'bookinfo-gateway' } }).applies)).toEqual(['default/edge']);
  });
  it('mesh plus an ns/name gateway, exported to a namespace list', () => {
    const host = serviceFqdn('productpage', 'default');
    expect(names(virtualServicesForHost(objects, { host, clientNamespace: 'intro' }).applies)).toEqual(['default/both']);
    expect(virtualServicesForHost(objects, { host, clientNamespace: 'default' }).applies).toEqual([]);
  });
});
