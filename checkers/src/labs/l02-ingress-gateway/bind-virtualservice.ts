import { defineCheck, fail, findGateway, fqdn, hostMatches, pass, refOf, serviceFqdn, type Assertion, type HttpRoute, type VirtualService } from '../../check-api';
import { httpbinHostName, introNs, serverHosts } from './httpbin-gateway';

const target = serviceFqdn('httpbin', introNs);

function matchesPath(route: HttpRoute, path: string): boolean {
  if (!route.match || route.match.length === 0) return true;
  return route.match.some((m) => !m.uri || (m.uri.prefix !== undefined && path.startsWith(m.uri.prefix)) || m.uri.exact === path || (m.uri.regex !== undefined && regexMatches(m.uri.regex, path)));
}

/** Envoy uses RE2; most RE2 patterns are valid JS. One that is not cannot be judged here: assume it matches. */
function regexMatches(pattern: string, path: string): boolean {
  try {
    return new RegExp(`^(?:${pattern})$`).test(path);
  } catch {
    return true;
  }
}

/** The VirtualService bound to a gateway for httpbin.example.com (not a mesh-only one). */
function findVs(all: VirtualService[]): VirtualService | undefined {
  const bound = all.filter((vs) => (vs.spec.gateways ?? []).some((g) => g !== 'mesh') && vs.spec.hosts.some((h) => h.toLowerCase() === httpbinHostName));
  return bound.find((vs) => vs.metadata.namespace === introNs) ?? bound[0];
}

/** Step 2: VS httpbin binds httpbin.example.com to the Gateway and routes /headers and /status to httpbin:8000. */
export const bindVirtualService = defineCheck({
  labId: 'l02-ingress-gateway',
  stepId: 'bind-virtualservice',
  kind: 'state',
  async run({ cluster }) {
    const [all, gateways, service] = await Promise.all([cluster.virtualServices(), cluster.gateways(), cluster.service(introNs, 'httpbin')]);
    const vs = findVs(all);
    if (!vs) {
      return [fail('L02.VS', `a VirtualService routes ${httpbinHostName} from a Gateway`, { expected: `a VirtualService with hosts [${httpbinHostName}] and gateways [httpbin-gateway]`, actual: 'none', hint: 'A Gateway only opens the door; a VirtualService bound to it (spec.gateways) says where requests go.', next: 'kubectl get virtualservice -A' })];
    }
    const ref = refOf(vs);
    const out: Assertion[] = [pass('L02.VS', `a VirtualService routes ${httpbinHostName} from a Gateway`, { actual: `VirtualService ${ref}` })];
    const refs = (vs.spec.gateways ?? []).filter((g) => g !== 'mesh');
    const resolved = refs.map((g) => ({ ref: g, gateway: findGateway(gateways, g, vs.metadata.namespace) }));
    const missing = resolved.filter((r) => !r.gateway);
    const bound = resolved.flatMap((r) => (r.gateway ? [r.gateway] : []));
    if (missing.length) {
      const elsewhere = gateways.find((g) => missing.some((m) => m.ref === g.metadata.name));
      out.push(
        fail('IST0101', 'the gateways it names exist', {
          expected: elsewhere ? `${elsewhere.metadata.namespace}/${elsewhere.metadata.name}` : 'an existing Gateway',
          actual: `${missing.map((m) => m.ref).join(', ')} (looked up in namespace ${vs.metadata.namespace})`,
          hint: elsewhere
            ? `Referenced gateway not found (IST0101): a bare name is looked up in the VirtualService's own namespace (${vs.metadata.namespace}); the Gateway lives in ${elsewhere.metadata.namespace}, so write ${elsewhere.metadata.namespace}/${elsewhere.metadata.name}.`
            : 'Referenced gateway not found (IST0101): create the Gateway or fix the name.',
          next: `istioctl analyze -n ${vs.metadata.namespace}`,
          path: `VirtualService ${ref} .spec.gateways`,
        }),
      );
    } else out.push(pass('L02.VS_GATEWAY', 'the gateways it names exist', { actual: bound.map(refOf).join(', ') }));
    if (bound.length) {
      const gwHosts = bound.flatMap((g) => g.spec.servers.flatMap(serverHosts));
      const outside = vs.spec.hosts.filter((h) => !gwHosts.some((g) => hostMatches(g, h.toLowerCase())));
      if (outside.length) out.push(fail('IST0132', 'its hosts are served by the Gateway', { expected: `hosts within the Gateway's hosts (${gwHosts.join(', ')})`, actual: outside.join(', '), hint: 'The VirtualService host is not in the bound Gateway\'s hosts, so the gateway never routes it (IST0132).', path: `VirtualService ${ref} .spec.hosts` }));
      else out.push(pass('L02.VS_HOSTS', 'its hosts are served by the Gateway'));
    }
    const servicePorts = service?.spec?.ports?.map((p) => p.port) ?? [8000];
    for (const path of ['/headers', '/status/418']) {
      const route = (vs.spec.http ?? []).find((r) => matchesPath(r, path));
      const title = `requests for ${path.replace('/418', '')} go to httpbin.${introNs}:8000`;
      const dest = route?.route?.[0]?.destination;
      if (!route || !dest) {
        out.push(fail('L02.VS_ROUTE', title, { expected: `a rule matching ${path.replace('/418', '')} (uri prefix)`, actual: 'no rule matches', hint: 'Add a match on the uri prefix so the gateway forwards these paths.', path: `VirtualService ${ref} .spec.http` }));
        continue;
      }
      const host = fqdn(dest.host, vs.metadata.namespace);
      const port = dest.port?.number;
      if (host !== target) out.push(fail('L02.VS_DESTINATION', title, { expected: target, actual: host, hint: host.startsWith('httpbin.') ? `A short host name is resolved in the VirtualService's namespace (${vs.metadata.namespace}); write httpbin.${introNs}.svc.cluster.local.` : 'The destination must be the httpbin Service in intro.', path: `VirtualService ${ref} .spec.http[].route[0].destination.host` }));
      else if (port !== undefined && !servicePorts.includes(port)) out.push(fail('L02.VS_PORT', title, { expected: `port ${servicePorts.join(' or ')} (the Service port)`, actual: String(port), hint: port === 8080 ? '8080 is the container port; a VirtualService destination names the Service port, 8000.' : 'Use the Service port of httpbin.', path: `VirtualService ${ref} .spec.http[].route[0].destination.port` }));
      else if (port === undefined && servicePorts.length > 1) out.push(fail('IST0112', title, { expected: 'an explicit destination port', actual: 'no port', hint: 'The Service has several ports, so the destination must name one (IST0112).' }));
      else out.push(pass('L02.VS_ROUTE', title));
    }
    return out;
  },
});
