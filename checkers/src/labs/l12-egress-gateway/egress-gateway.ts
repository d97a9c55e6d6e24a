import { defineCheck, finding, type Assertion, type Gateway } from '../../check-api';
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
    if (candidates.length === 0) {
      return [
        finding('L12.GATEWAY').fail({
          expected: 'Gateway istio-egressgateway: selector istio: egressgateway, server port 80 HTTP, hosts [api.example.com]',
          actual: all.length === 0 ? 'no Gateway at all' : `Gateways ${all.map((g) => `${g.metadata.namespace}/${g.metadata.name}`).join(', ')} do not list api.example.com`,
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
    const picksEgress = finding('L12.GATEWAY_SELECTOR');
    if (egress === 0) {
      out.push(
        picksEgress.fail({
          expected: 'selector istio: egressgateway matching a running pod',
          actual: !sel ? `${gwRef(gw)} has no selector` : other > 0 ? `${gwRef(gw)} selector ${sel} picks ${other} other pod(s)` : `${gwRef(gw)} selector ${sel} picks no pod`,
          ...(other > 0 ? {} : { hint: 'noPods' }),
          next: 'kubectl get pods -n istio-system --show-labels',
          path: `${gwRef(gw)} .spec.selector`,
        }),
      );
    } else {
      out.push(picksEgress.pass({ actual: `${gwRef(gw)} selector ${sel} → ${egress} pod(s)`, path: `${gwRef(gw)} .spec.selector` }));
    }
    const server = gw.spec.servers.find((s) => s.port.number === 80 && (s.port.protocol ?? '').toUpperCase() === 'HTTP');
    const port80 = finding('L12.GATEWAY_PORT');
    out.push(
      server
        ? port80.pass({ path: `${gwRef(gw)} .spec.servers` })
        : port80.fail({
            expected: 'server port {number: 80, name: http, protocol: HTTP}',
            actual: gw.spec.servers.map((s) => `${s.port.number}/${s.port.protocol ?? '?'}`).join(', '),
            next: `kubectl get gateway -n ${gw.metadata.namespace} ${gw.metadata.name} -o yaml`,
            path: `${gwRef(gw)} .spec.servers`,
          }),
    );
    if (gw.spec.servers.some((s) => s.hosts.some((h) => h === '*' || h.endsWith('/*')))) {
      out.push(
        finding('L12.GATEWAY_HOSTS').warn({
          expected: 'hosts [api.example.com]',
          actual: 'hosts include *',
          path: `${gwRef(gw)} .spec.servers`,
        }),
      );
    }
    return out;
  },
});
