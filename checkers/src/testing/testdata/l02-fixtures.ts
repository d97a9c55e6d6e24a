import type { KubeObject } from '../../cluster-reader';
import { gateway, virtualService } from './kube-builders';
import { introState, labelled } from './l01-fixtures';

export const httpbinGateway = (o: { ns?: string; selector?: Record<string, string>; port?: number; hosts?: string[]; name?: string } = {}) =>
  gateway(o.ns ?? 'intro', o.name ?? 'httpbin-gateway', {
    selector: o.selector ?? { istio: 'ingressgateway' },
    servers: [{ port: { number: o.port ?? 80, name: 'http', protocol: 'HTTP' }, hosts: o.hosts ?? ['httpbin.example.com'] }],
  });

export const httpbinVs = (o: { ns?: string; gateways?: string[]; hosts?: string[]; port?: number } = {}) =>
  virtualService(o.ns ?? 'intro', 'httpbin', {
    hosts: o.hosts ?? ['httpbin.example.com'],
    gateways: o.gateways ?? ['httpbin-gateway'],
    http: [
      {
        match: [{ uri: { prefix: '/status' } }, { uri: { prefix: '/headers' } }],
        route: [{ destination: { host: 'httpbin.intro.svc.cluster.local', port: { number: o.port ?? 8000 } } }],
      },
    ],
  });

/** Lab start: intro from L01 (injected httpbin + curl), no gateway objects yet. */
export function l02Start(): KubeObject[] {
  return introState({ labels: labelled, injection: 'native' });
}

export function l02Solution(extra: KubeObject[] = []): KubeObject[] {
  return [...l02Start(), httpbinGateway(), httpbinVs(), ...extra];
}
