import { finding, defineCheck, fail, pass, warn, type Assertion, type ServiceEntry } from '../../check-api';
import { promBaseline, promRoseAssertion } from '../../probes/prom-assertion';
import { callExternalUntil, callHint, describeCall, externalHost } from './external-call';

function seRef(se: ServiceEntry): string {
  return `ServiceEntry ${se.metadata.namespace}/${se.metadata.name}`;
}

/** The ServiceEntry fields the lesson sets, judged one by one (shared with L12's setup expectations). */
export function serviceEntryAssertions(all: ServiceEntry[]): { se: ServiceEntry | undefined; assertions: Assertion[] } {
  const found = all.filter((se) => se.spec.hosts.map((h) => h.toLowerCase()).includes(externalHost));
  const title = `a ServiceEntry registers ${externalHost}`;
  if (found.length === 0) {
    return {
      se: undefined,
      assertions: [
        fail('L11.SE', title, {
          expected: `a ServiceEntry with hosts [${externalHost}]`,
          actual: 'none found',
          hint: `Create ServiceEntry api-example: hosts [${externalHost}], ports [{number: 80, name: http, protocol: HTTP}], resolution: DNS, location: MESH_EXTERNAL.`,
          next: 'kubectl get serviceentry -A',
        }),
      ],
    };
  }
  const se = found[0]!;
  const out: Assertion[] = [pass('L11.SE', title, { actual: seRef(se), path: seRef(se) })];
  if (found.length > 1) {
    out.push(
      warn('L11.SE_DUPLICATE', 'one ServiceEntry per host', {
        expected: 'one ServiceEntry',
        actual: found.map(seRef).join(', '),
        hint: 'Several ServiceEntries for one host are merged in ways that are hard to predict; keep one.',
        next: 'kubectl get serviceentry -A',
      }),
    );
  }
  const next = `kubectl get serviceentry -n ${se.metadata.namespace} ${se.metadata.name} -o yaml`;
  const port = (se.spec.ports ?? []).find((p) => p.number === 80);
  const proto = port?.protocol?.toUpperCase();
  out.push(
    proto === 'HTTP'
      ? pass('L11.SE_PORT', 'port 80 is declared as HTTP', { path: `${seRef(se)} .spec.ports` })
      : fail('L11.SE_PORT', 'port 80 is declared as HTTP', {
          expected: 'ports: [{number: 80, name: http, protocol: HTTP}]',
          actual: !port ? `ports ${(se.spec.ports ?? []).map((p) => p.number).join(', ') || 'none'}` : `protocol ${port.protocol ?? 'not set'}`,
          hint:
            proto === 'TCP'
              ? 'As TCP the sidecar cannot see HTTP, so no L7 routing, timeouts or HTTP metrics (and without addresses, IST0134). Use protocol HTTP.'
              : 'Declare port 80 with protocol HTTP.',
          next,
          path: `${seRef(se)} .spec.ports`,
        }),
  );
  const resolution = se.spec.resolution ?? 'NONE';
  out.push(
    resolution === 'DNS' || resolution === 'DNS_ROUND_ROBIN'
      ? pass('L11.SE_RESOLUTION', 'the proxy resolves the host by DNS', { actual: `resolution ${resolution}` })
      : fail('L11.SE_RESOLUTION', 'the proxy resolves the host by DNS', {
          expected: 'resolution: DNS',
          actual: `resolution ${resolution}${se.spec.resolution ? '' : ' (default)'}`,
          hint:
            resolution === 'NONE'
              ? 'NONE forwards to whatever IP the app connected to and is meant for IP ranges; for a DNS name use resolution: DNS.'
              : 'STATIC needs endpoints with IPs; for a DNS name use resolution: DNS.',
          next,
          path: `${seRef(se)} .spec.resolution`,
        }),
  );
  const location = se.spec.location ?? 'MESH_EXTERNAL';
  out.push(
    location === 'MESH_EXTERNAL'
      ? pass('L11.SE_LOCATION', 'the host is marked as outside the mesh', { actual: location })
      : fail('L11.SE_LOCATION', 'the host is marked as outside the mesh', {
          expected: 'location: MESH_EXTERNAL',
          actual: `location ${location}`,
          hint: 'MESH_INTERNAL makes the sidecar treat the host as a mesh workload (and try mTLS). Use MESH_EXTERNAL.',
          next,
          path: `${seRef(se)} .spec.location`,
        }),
  );
  return { se, assertions: out };
}

/** Step 3: ServiceEntry api-example (HTTP/80, DNS, MESH_EXTERNAL); the call works again and is metered. */
export const serviceEntry = defineCheck({
  labId: 'l11-egress-serviceentry',
  stepId: 'service-entry',
  kind: 'telemetry',
  async run(ctx) {
    const { assertions } = serviceEntryAssertions(await ctx.cluster.serviceEntries());
    const out = [...assertions];
    if (out.some((a) => a.status === 'fail')) return out;
    // Read before the check's calls: only a count they raise shows curl's calls are metered now.
    const metered = await promBaseline(
      ctx,
      `sum(istio_requests_total{reporter="source",source_workload="curl",destination_service_name="${externalHost}"})`,
    );
    const call = await callExternalUntil(ctx, (r) => r.httpCode === 200);
    out.push(
      call.ok
        ? pass('L11.EXTERNAL_REGISTERED', `the call to ${externalHost} works again`, { actual: describeCall(call.value) })
        : fail('L11.EXTERNAL_REGISTERED', `the call to ${externalHost} works again`, {
            expected: 'HTTP 200',
            actual: describeCall(call.value),
            hint: callHint(call.value),
            next: 'istioctl proxy-config cluster deploy/curl -n default --fqdn api.example.com',
          }),
    );
    out.push(
      await promRoseAssertion(ctx, metered, finding('L11.PROM_EXTERNAL', { host: externalHost })),
    );
    return out;
  },
});
