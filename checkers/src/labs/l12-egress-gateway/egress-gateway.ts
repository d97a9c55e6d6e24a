import { defineCheck, fail, pass, warn, type Assertion, type Gateway } from '../../check-api';
import { gatewaysForExternalHost, gwRef, isEgressGatewayPod, podsSelectedBy, selectorString } from './egress-objects';

/**
 * Step 1: a Gateway for api.example.com, port 80 HTTP, whose selector picks the egress gateway pods
 * (istio: egressgateway), not the ingress gateway.
 */
export const egressGateway = defineCheck({
  labId: 'l12-egress-gateway',
  stepId: 'egress-gateway',
  kind: 'state',
  async run(ctx) {
    const all = await ctx.cluster.gateways();
    const candidates = gatewaysForExternalHost(all);
    const title = 'a Gateway accepts api.example.com on the egress gateway';
    if (candidates.length === 0) {
      return [
        fail('L12.GATEWAY', title, {
          expected: 'Gateway istio-egressgateway: selector istio: egressgateway, server port 80 HTTP, hosts [api.example.com]',
          actual: all.length === 0 ? 'no Gateway at all' : `Gateways ${all.map((g) => `${g.metadata.namespace}/${g.metadata.name}`).join(', ')} do not list api.example.com`,
          hint: 'Create the Gateway istio-egressgateway in namespace default with hosts [api.example.com] on port 80, protocol HTTP.',
          next: 'kubectl get gateway -A',
        }),
      ];
    }
    let best: { gw: Gateway; egress: number; other: number } | undefined;
    for (const gw of candidates) {
      const pods = await podsSelectedBy(ctx, gw);
      const egress = pods.filter(isEgressGatewayPod).length;
      const cand = { gw, egress, other: pods.length - egress };
      if (!best || cand.egress > best.egress) best = cand;
    }
    const { gw, egress, other } = best!;
    const out: Assertion[] = [];
    const sel = selectorString(gw.spec.selector);
    if (egress === 0) {
      out.push(
        fail('L12.GATEWAY_SELECTOR', 'the Gateway selector picks the egress gateway pods', {
          expected: 'selector istio: egressgateway matching a running pod',
          actual: !sel ? `${gwRef(gw)} has no selector` : other > 0 ? `${gwRef(gw)} selector ${sel} picks ${other} other pod(s)` : `${gwRef(gw)} selector ${sel} picks no pod`,
          hint:
            other > 0
              ? 'That selector picks the ingress gateway (or other pods). Egress traffic must leave through the egress gateway: use `istio: egressgateway`.'
              : 'No pod carries these labels. Is the egress gateway installed (the demo profile has one; `kubectl get pods -n istio-system -l istio=egressgateway`)?',
          next: 'kubectl get pods -n istio-system --show-labels',
          path: `${gwRef(gw)} .spec.selector`,
        }),
      );
    } else {
      out.push(pass('L12.GATEWAY_SELECTOR', 'the Gateway selector picks the egress gateway pods', { actual: `${gwRef(gw)} selector ${sel} → ${egress} pod(s)`, path: `${gwRef(gw)} .spec.selector` }));
    }
    const server = gw.spec.servers.find((s) => s.port.number === 80 && (s.port.protocol ?? '').toUpperCase() === 'HTTP');
    out.push(
      server
        ? pass('L12.GATEWAY_PORT', 'the Gateway listens on port 80 for HTTP', { path: `${gwRef(gw)} .spec.servers` })
        : fail('L12.GATEWAY_PORT', 'the Gateway listens on port 80 for HTTP', {
            expected: 'server port {number: 80, name: http, protocol: HTTP}',
            actual: gw.spec.servers.map((s) => `${s.port.number}/${s.port.protocol ?? '?'}`).join(', '),
            hint: 'The egress gateway Service exposes port 80 (http2); declare the server on port 80 with protocol HTTP.',
            next: `kubectl get gateway -n ${gw.metadata.namespace} ${gw.metadata.name} -o yaml`,
            path: `${gwRef(gw)} .spec.servers`,
          }),
    );
    if (gw.spec.servers.some((s) => s.hosts.some((h) => h === '*' || h.endsWith('/*')))) {
      out.push(
        warn('L12.GATEWAY_HOSTS', 'the Gateway names api.example.com', {
          expected: 'hosts [api.example.com]',
          actual: 'hosts include *',
          hint: 'A wildcard works but opens the egress gateway to every host; name api.example.com.',
          path: `${gwRef(gw)} .spec.servers`,
        }),
      );
    }
    return out;
  },
});
