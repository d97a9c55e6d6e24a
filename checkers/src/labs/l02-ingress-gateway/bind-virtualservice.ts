import {
  defineCheck,
  finding,
  findGateway,
  hostsOutsideGateway,
  kindRef,
  refOf,
  resolveGatewayRef,
  resolveHost,
  serviceFqdn,
  type Assertion,
  type Gateway,
  type HttpRoute,
  type VirtualService,
} from '../../check-api';
import { httpbinHostName, introNs } from './httpbin-gateway';

const target = serviceFqdn('httpbin', introNs);

function matchesPath(route: HttpRoute, path: string): boolean {
  if (!route.match || route.match.length === 0) return true;
  return route.match.some(
    (m) =>
      !m.uri ||
      (m.uri.prefix !== undefined && path.startsWith(m.uri.prefix)) ||
      m.uri.exact === path ||
      (m.uri.regex !== undefined && regexMatches(m.uri.regex, path)),
  );
}

/** Envoy uses RE2; most RE2 patterns are valid JS. One that is not cannot be judged here: assume it matches. */
function regexMatches(pattern: string, path: string): boolean {
  try {
    return new RegExp(`^(?:${pattern})$`).test(path);
  } catch {
    return true;
  }
}

/**
 * The learner's VirtualService for the gateway, by meaning: one bound to a Gateway that lists
 * httpbin.example.com; else one in intro bound to a Gateway that serves it (its own host misspelt),
 * which IST0132 then explains instead of "none found".
 */
function findVs(all: VirtualService[], gateways: Gateway[]): VirtualService | undefined {
  const bound = all.filter((vs) => (vs.spec.gateways ?? []).some((g) => g !== 'mesh'));
  const naming = bound.filter((vs) => vs.spec.hosts.some((h) => h.toLowerCase() === httpbinHostName));
  const servesHost = (vs: VirtualService) =>
    (vs.spec.gateways ?? []).some((g) =>
      findGateway(gateways, g, vs.metadata.namespace)?.spec.servers.some((s) =>
        s.hosts.some((h) => h.endsWith(httpbinHostName)),
      ),
    );
  return (
    naming.find((vs) => vs.metadata.namespace === introNs) ??
    naming[0] ??
    bound.find((vs) => vs.metadata.namespace === introNs && servesHost(vs))
  );
}

/** Step 2: VS httpbin binds httpbin.example.com to the Gateway and routes /headers and /status to httpbin:8000. */
export const bindVirtualService = defineCheck({
  labId: 'l02-ingress-gateway',
  stepId: 'bind-virtualservice',
  kind: 'state',
  async run({ cluster }) {
    const [all, gateways, service] = await Promise.all([
      cluster.virtualServices(),
      cluster.gateways(),
      cluster.service(introNs, 'httpbin'),
    ]);
    const vs = findVs(all, gateways);
    const vsFinding = finding('L02.VS');
    if (!vs)
      return [
        vsFinding.fail({
          expected: `a VirtualService with hosts [${httpbinHostName}] and gateways [httpbin-gateway]`,
          actual: 'none',
          next: 'kubectl get virtualservice -A',
        }),
      ];
    const ref = kindRef('VirtualService', vs);
    const out: Assertion[] = [vsFinding.pass({ actual: ref })];
    const refs = (vs.spec.gateways ?? []).filter((g) => g !== 'mesh');
    const resolved = refs.map((g) => ({ ref: g, gateway: findGateway(gateways, g, vs.metadata.namespace) }));
    const missing = resolved.filter((r) => !r.gateway);
    const bound = resolved.flatMap((r) => (r.gateway ? [r.gateway] : []));
    if (missing.length) {
      const elsewhere = gateways.find((g) => missing.some((m) => m.ref === g.metadata.name));
      const looked = missing
        .map((m) => resolveGatewayRef(m.ref, vs.metadata.namespace))
        .map((r) => (r === 'mesh' ? 'mesh' : `${r.namespace}/${r.name}`));
      out.push(
        finding('IST0101', {
          reference: `gateway ${looked.join(', ')}`,
          gateway: elsewhere ? refOf(elsewhere) : looked.join(', '),
          namespace: vs.metadata.namespace,
          gatewayNamespace: elsewhere?.metadata.namespace ?? '',
        }).fail({
          expected: elsewhere ? refOf(elsewhere) : 'an existing Gateway',
          actual: `${missing.map((m) => m.ref).join(', ')} (looked up in namespace ${vs.metadata.namespace})`,
          next: `istioctl analyze -n ${vs.metadata.namespace}`,
          path: `${ref} .spec.gateways`,
          hint: elsewhere ? 'gatewayNamespace' : 'gateway',
        }),
      );
    } else out.push(finding('L02.VS_GATEWAY', { vs: ref }).pass({ actual: bound.map(refOf).join(', ') }));
    for (const gw of bound) {
      const outside = hostsOutsideGateway(vs, gw);
      const params = { vs: ref, gateway: refOf(gw) };
      if (outside.length === 0) out.push(finding('L02.VS_HOSTS', params).pass());
      for (const o of outside)
        out.push(
          finding('IST0132', { ...params, host: o.host, reason: o.reason }).fail({
            expected: `hosts within the Gateway's hosts (${gw.spec.servers.flatMap((s) => s.hosts).join(', ')})`,
            actual: o.host,
            next: `istioctl analyze -n ${vs.metadata.namespace}`,
            path: `${ref} .spec.hosts`,
          }),
        );
    }
    const servicePorts = service?.spec?.ports?.map((p) => p.port) ?? [8000];
    for (const path of ['/headers', '/status/418']) {
      const shown = path.replace('/418', '');
      const route = (vs.spec.http ?? []).find((r) => matchesPath(r, path));
      const dest = route?.route?.[0]?.destination;
      const next = `kubectl get virtualservice -n ${vs.metadata.namespace} ${vs.metadata.name} -o yaml`;
      if (!route || !dest) {
        out.push(
          finding('L02.VS_ROUTE', { path: shown }).fail({
            expected: `a rule matching ${shown} (uri prefix)`,
            actual: 'no rule matches',
            next,
            path: `${ref} .spec.http`,
          }),
        );
        continue;
      }
      const host = resolveHost(dest.host, vs.metadata.namespace);
      const port = dest.port?.number;
      const params = {
        path: shown,
        written: dest.host,
        namespace: vs.metadata.namespace,
        resolved: host,
        port: port ?? '',
      };
      if (host !== target)
        out.push(
          finding('L02.VS_DESTINATION', params).fail({
            expected: target,
            actual: host,
            next,
            path: `${ref} .spec.http[].route[0].destination.host`,
            ...(host.startsWith('httpbin.') ? {} : { hint: 'otherService' }),
          }),
        );
      else if (port !== undefined && !servicePorts.includes(port))
        out.push(
          finding('L02.VS_PORT', params).fail({
            expected: `port ${servicePorts.join(' or ')} (the Service port)`,
            actual: String(port),
            next,
            path: `${ref} .spec.http[].route[0].destination.port`,
          }),
        );
      else if (port === undefined && servicePorts.length > 1)
        out.push(
          finding('IST0112', params).fail({ expected: 'an explicit destination port', actual: 'no port', next }),
        );
      else out.push(finding('L02.VS_ROUTE', params).pass());
    }
    return out;
  },
});
