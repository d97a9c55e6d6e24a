import { defineCheck, fail, labelsText, pass, refOf, selectorMatches, warn, type Assertion } from '../../check-api';
import { exposedPorts, findHttpbinGateway, httpbinHostName, introNs, selectedPods, serverHosts } from './httpbin-gateway';

/** Step 1: a Gateway for httpbin.example.com on the ingress gateway pods, plain HTTP on port 80/8080. */
export const createGateway = defineCheck({
  labId: 'l02-ingress-gateway',
  stepId: 'create-gateway',
  kind: 'state',
  async run({ cluster }) {
    const [gateways, pods, services] = await Promise.all([cluster.gateways(), cluster.pods(undefined), cluster.services('istio-system')]);
    const { gateway, byWildcard } = findHttpbinGateway(gateways);
    if (!gateway) {
      return [fail('L02.GATEWAY', `a Gateway serves ${httpbinHostName}`, { expected: `a Gateway in ${introNs} with a server for host ${httpbinHostName}`, actual: 'none', hint: 'Create the Gateway httpbin-gateway: it opens the listener on the ingress gateway pods.', next: `kubectl get gateway -A` })];
    }
    const ref = refOf(gateway);
    const out: Assertion[] = [pass('L02.GATEWAY', `a Gateway serves ${httpbinHostName}`, { actual: `Gateway ${ref}` })];
    const selected = selectedPods(gateway, pods);
    if (selected.length) out.push(pass('L02.GATEWAY_SELECTOR', 'the Gateway selector matches the ingress gateway pods', { actual: `${selected.length} pod(s)` }));
    else {
      const ingress = pods.find((p) => p.metadata?.namespace === 'istio-system' && p.metadata?.labels?.['istio'] === 'ingressgateway');
      out.push(fail('L02.GATEWAY_SELECTOR', 'the Gateway selector matches the ingress gateway pods', { expected: 'selector istio: ingressgateway', actual: `selector ${labelsText(gateway.spec.selector) || '(empty)'} matches no Running pod`, hint: `No gateway pod has these labels${ingress ? `; the ingress gateway pods here are labelled istio=ingressgateway (istio: ingress is the label of a Helm-installed gateway)` : ''}.`, next: 'kubectl get pods -n istio-system --show-labels', path: `Gateway ${ref} .spec.selector` }));
    }
    const ports = exposedPorts(services, selected.length ? selected : pods.filter((p) => p.metadata?.labels?.['istio'] === 'ingressgateway'));
    const servers = gateway.spec.servers.filter((s) => serverHosts(s).some((h) => h === httpbinHostName || h === '*'));
    const server = servers.find((s) => serverHosts(s).includes(httpbinHostName)) ?? servers[0];
    const path = `Gateway ${ref} .spec.servers`;
    if (!server) {
      out.push(fail('L02.GATEWAY_HOST', `a server lists host ${httpbinHostName}`, { expected: httpbinHostName, actual: gateway.spec.servers.flatMap(serverHosts).join(', ') || 'no hosts', hint: 'The Gateway only accepts requests whose Host header is in a server\'s hosts.', path }));
      return out;
    }
    if (byWildcard || !serverHosts(server).includes(httpbinHostName)) out.push(warn('L02.GATEWAY_HOST', `a server lists host ${httpbinHostName}`, { expected: httpbinHostName, actual: '*', hint: 'A "*" host accepts every Host header; it works, but naming the host keeps this gateway from catching traffic meant for others.', path }));
    else out.push(pass('L02.GATEWAY_HOST', `a server lists host ${httpbinHostName}`));
    const protocol = (server.port.protocol ?? '').toUpperCase();
    if (protocol === 'HTTP') out.push(pass('L02.GATEWAY_PROTOCOL', 'the server speaks plain HTTP'));
    else out.push(fail('L02.GATEWAY_PROTOCOL', 'the server speaks plain HTTP', { expected: 'protocol: HTTP', actual: protocol || 'none', hint: 'This step serves plain HTTP; HTTPS needs a certificate (a later lab).', path: `${path}.port.protocol` }));
    const port = server.port.number;
    if (ports.size && !ports.has(port)) {
      out.push(fail('IST0162', `the server port ${port} is exposed by the ingress gateway Service`, { expected: `one of ${[...ports].sort((a, b) => a - b).join(', ')} (80 maps to 8080 inside the pod)`, actual: String(port), hint: 'The Gateway listens on a port the ingress gateway Service does not expose, so no request can reach it (IST0162 GatewayPortNotDefinedOnService).', next: 'kubectl get svc istio-ingressgateway -n istio-system', path: `${path}.port.number` }));
    } else if (port !== 80 && port !== 8080) {
      out.push(warn('L02.GATEWAY_PORT', `the server listens on port 80 (or 8080)`, { expected: '80 or 8080', actual: String(port), hint: 'The lesson sends plain HTTP to port 80 of the gateway Service (8080 in the pod).', path: `${path}.port.number` }));
    } else out.push(pass('L02.GATEWAY_PORT', 'the server listens on port 80 (or 8080)', { actual: String(port) }));
    const conflicts = gateways.filter(
      (g) =>
        refOf(g) !== ref &&
        selectorMatches(g.spec.selector, gateway.spec.selector) &&
        selectorMatches(gateway.spec.selector, g.spec.selector) &&
        g.spec.servers.some((s) => s.port.number === port && serverHosts(s).includes(httpbinHostName)),
    );
    if (conflicts.length) out.push(fail('IST0145', `no other Gateway claims ${httpbinHostName} on port ${port}`, { expected: 'one Gateway per host and port', actual: conflicts.map(refOf).join(', '), hint: 'Two Gateways with the same selector claim the same host and port; istiod keeps only one of them (IST0145 ConflictingGateways). Delete the copy.', next: `kubectl delete gateway -n ${conflicts[0]?.metadata.namespace ?? ''} ${conflicts[0]?.metadata.name ?? ''}` }));
    return out;
  },
});
