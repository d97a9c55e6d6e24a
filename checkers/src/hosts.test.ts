import { describe, expect, it } from 'vitest';
import { fqdn, gatewayServerHost, hostMatches, isPartialServiceName } from './hosts';
import { hasIstioProxy, istioProxyContainer } from './pods';

describe('hosts', () => {
  it.each([
    ['reviews', 'default', 'reviews.default.svc.cluster.local'],
    // istiod expands only dot-free names; `name.ns` stays as written and matches no Service.
    ['reviews.default', 'intro', 'reviews.default'],
    ['reviews.default.svc', 'intro', 'reviews.default.svc'],
    ['Reviews.default.svc.cluster.local.', 'x', 'reviews.default.svc.cluster.local'],
    ['httpbin.example.com', 'intro', 'httpbin.example.com'],
    ['*.example.com', 'intro', '*.example.com'],
  ])('fqdn(%s, %s) = %s', (host, ns, expected) => {
    expect(fqdn(host, ns)).toBe(expected);
  });
  it('spots the DNS-only partial forms', () => {
    expect(isPartialServiceName('reviews.default')).toBe(true);
    expect(isPartialServiceName('reviews.default.svc')).toBe(true);
    expect(isPartialServiceName('reviews')).toBe(false);
    expect(isPartialServiceName('api.example.com')).toBe(false);
    expect(isPartialServiceName('reviews.default.svc.cluster.local')).toBe(false);
  });
  it('matches wildcards as Istio does', () => {
    expect(hostMatches('*', 'a.b')).toBe(true);
    expect(hostMatches('*.example.com', 'httpbin.example.com')).toBe(true);
    expect(hostMatches('*.example.com', 'example.com')).toBe(false);
    expect(gatewayServerHost('intro/httpbin.example.com')).toBe('httpbin.example.com');
  });
});

describe('istio-proxy detection', () => {
  const app = { name: 'app', image: 'x' };
  it('finds a native sidecar in initContainers only with restartPolicy Always', () => {
    const native = { spec: { containers: [app], initContainers: [{ name: 'istio-proxy', image: 'p', restartPolicy: 'Always' }] } };
    expect(istioProxyContainer(native)?.native).toBe(true);
    const plainInit = { spec: { containers: [app], initContainers: [{ name: 'istio-proxy', image: 'p' }] } };
    expect(hasIstioProxy(plainInit)).toBe(false);
  });
  it('finds a classic sidecar or the injector annotation', () => {
    expect(istioProxyContainer({ spec: { containers: [app, { name: 'istio-proxy', image: 'p' }] } })?.native).toBe(false);
    expect(hasIstioProxy({ metadata: { annotations: { 'sidecar.istio.io/status': '{}' } }, spec: { containers: [app] } })).toBe(true);
  });
});
