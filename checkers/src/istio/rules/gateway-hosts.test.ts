import { describe, expect, it } from 'vitest';
import { hostsOutsideGateway } from './gateway-hosts';
import { istioYaml } from './testdata/load-istio-yaml';

const objs = istioYaml(`
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: httpbin-gateway, namespace: intro}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: [httpbin.example.com, "ops/*.internal.example.com"]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: httpbin, namespace: intro}
spec:
  hosts: [httpbin.example.com, www.example.com, api.internal.example.com]
  gateways: [httpbin-gateway]
`);

describe('hostsOutsideGateway (IST0132)', () => {
  it('names each host no server covers, and why', () => {
    const out = hostsOutsideGateway(objs.virtualServices()[0]!, objs.gateways()[0]!);
    expect(out.map((o) => o.host)).toEqual(['www.example.com', 'api.internal.example.com']);
    expect(out[0]?.reason).toContain('none of them covers www.example.com');
    expect(out[1]?.reason).toContain('only to VirtualServices in namespace ops');
  });
});
