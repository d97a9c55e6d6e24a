import { defineCheck, finding, labelsText, refOf, selectorMatches, type Assertion } from '../../check-api';
import {
  exposedPorts,
  findHttpbinGateway,
  httpbinHostName,
  introNs,
  selectedPods,
  serverHosts,
} from './httpbin-gateway';

/** Step 1: a Gateway for httpbin.example.com on the ingress gateway pods, plain HTTP on port 80/8080. */
export const createGateway = defineCheck({
  labId: 'l02-ingress-gateway',
  stepId: 'create-gateway',
  kind: 'state',
  async run({ cluster }) {
    const [gateways, pods, services] = await Promise.all([
      cluster.gateways(),
      cluster.pods(undefined),
      cluster.services('istio-system'),
    ]);
    const { gateway, byWildcard } = findHttpbinGateway(gateways);
    if (!gateway) {
      return [
        finding('L02.GATEWAY').fail({
          expected: `a Gateway in ${introNs} with a server for host ${httpbinHostName}`,
          actual: 'none',
          next: `kubectl get gateway -A`,
        }),
      ];
    }
    const ref = refOf(gateway);
    const out: Assertion[] = [finding('L02.GATEWAY').pass({ actual: `Gateway ${ref}` })];
    const selected = selectedPods(gateway, pods);
    const selectorFinding = finding('L02.GATEWAY_SELECTOR');
    if (selected.length) out.push(selectorFinding.pass({ actual: `${selected.length} pod(s)` }));
    else {
      const ingress = pods.find(
        (p) => p.metadata?.namespace === 'istio-system' && p.metadata?.labels?.['istio'] === 'ingressgateway',
      );
      out.push(
        selectorFinding.fail({
          expected: 'selector istio: ingressgateway',
          actual: `selector ${labelsText(gateway.spec.selector) || '(empty)'} matches no Running pod`,
          next: 'kubectl get pods -n istio-system --show-labels',
          path: `Gateway ${ref} .spec.selector`,
          ...(ingress ? {} : { hint: 'noIngress' }),
        }),
      );
    }
    const ports = exposedPorts(
      services,
      selected.length ? selected : pods.filter((p) => p.metadata?.labels?.['istio'] === 'ingressgateway'),
    );
    const servers = gateway.spec.servers.filter((s) => serverHosts(s).some((h) => h === httpbinHostName || h === '*'));
    const server = servers.find((s) => serverHosts(s).includes(httpbinHostName)) ?? servers[0];
    const path = `Gateway ${ref} .spec.servers`;
    if (!server) {
      out.push(
        finding('L02.GATEWAY_HOST').fail({
          expected: httpbinHostName,
          actual: gateway.spec.servers.flatMap(serverHosts).join(', ') || 'no hosts',
          next: `kubectl get gateway -n ${gateway.metadata.namespace} ${gateway.metadata.name} -o yaml`,
          path,
        }),
      );
      return out;
    }
    if (byWildcard || !serverHosts(server).includes(httpbinHostName))
      out.push(finding('L02.GATEWAY_HOST').warn({ expected: httpbinHostName, actual: '*', path, hint: 'wildcard' }));
    else out.push(finding('L02.GATEWAY_HOST').pass());
    const protocol = (server.port.protocol ?? '').toUpperCase();
    if (protocol === 'HTTP') out.push(finding('L02.GATEWAY_PROTOCOL').pass());
    else
      out.push(
        finding('L02.GATEWAY_PROTOCOL').fail({
          expected: 'protocol: HTTP',
          actual: protocol || 'none',
          next: `kubectl get gateway -n ${gateway.metadata.namespace} ${gateway.metadata.name} -o yaml`,
          path: `${path}.port.protocol`,
        }),
      );
    const port = server.port.number;
    if (ports.size && !ports.has(port)) {
      out.push(
        finding('IST0162', { port }).fail({
          expected: `one of ${[...ports].sort((a, b) => a - b).join(', ')} (80 maps to 8080 inside the pod)`,
          actual: String(port),
          next: 'kubectl get svc istio-ingressgateway -n istio-system',
          path: `${path}.port.number`,
        }),
      );
    } else if (port !== 80 && port !== 8080) {
      out.push(
        finding('L02.GATEWAY_PORT').warn({ expected: '80 or 8080', actual: String(port), path: `${path}.port.number` }),
      );
    } else out.push(finding('L02.GATEWAY_PORT').pass({ actual: String(port) }));
    const conflicts = gateways.filter(
      (g) =>
        refOf(g) !== ref &&
        selectorMatches(g.spec.selector, gateway.spec.selector) &&
        selectorMatches(gateway.spec.selector, g.spec.selector) &&
        g.spec.servers.some((s) => s.port.number === port && serverHosts(s).includes(httpbinHostName)),
    );
    if (conflicts.length)
      out.push(
        finding('IST0145', { host: httpbinHostName, port }).fail({
          expected: 'one Gateway per host and port',
          actual: conflicts.map(refOf).join(', '),
          next: `kubectl delete gateway -n ${conflicts[0]?.metadata.namespace ?? ''} ${conflicts[0]?.metadata.name ?? ''}`,
        }),
      );
    return out;
  },
});
