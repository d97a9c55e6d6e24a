import { finding, defineCheck, type Assertion, type ServiceEntry } from '../../check-api';
import { promBaseline, promRoseAssertion } from '../../probes/prom-assertion';
import { callExternalUntil, callHint, describeCall, externalHost } from './external-call';

function seRef(se: ServiceEntry): string {
  return `ServiceEntry ${se.metadata.namespace}/${se.metadata.name}`;
}

/** The ServiceEntry fields the lesson sets, judged one by one (shared with L12's setup expectations). */
export function serviceEntryAssertions(all: ServiceEntry[]): { se: ServiceEntry | undefined; assertions: Assertion[] } {
  const found = all.filter((se) => se.spec.hosts.map((h) => h.toLowerCase()).includes(externalHost));
  const registers = finding('L11.SE', { host: externalHost });
  if (found.length === 0) {
    return {
      se: undefined,
      assertions: [
        registers.fail({
          expected: `a ServiceEntry with hosts [${externalHost}]`,
          actual: 'none found',
          next: 'kubectl get serviceentry -A',
        }),
      ],
    };
  }
  const se = found[0]!;
  const out: Assertion[] = [registers.pass({ actual: seRef(se), path: seRef(se) })];
  if (found.length > 1) {
    out.push(
      finding('L11.SE_DUPLICATE').warn({
        expected: 'one ServiceEntry',
        actual: found.map(seRef).join(', '),
        next: 'kubectl get serviceentry -A',
      }),
    );
  }
  const next = `kubectl get serviceentry -n ${se.metadata.namespace} ${se.metadata.name} -o yaml`;
  const port = (se.spec.ports ?? []).find((p) => p.number === 80);
  const proto = port?.protocol?.toUpperCase();
  const httpPort = finding('L11.SE_PORT');
  out.push(
    proto === 'HTTP'
      ? httpPort.pass({ path: `${seRef(se)} .spec.ports` })
      : httpPort.fail({
          expected: 'ports: [{number: 80, name: http, protocol: HTTP}]',
          actual: !port ? `ports ${(se.spec.ports ?? []).map((p) => p.number).join(', ') || 'none'}` : `protocol ${port.protocol ?? 'not set'}`,
          ...(proto === 'TCP' ? { hint: 'tcp' } : {}),
          next,
          path: `${seRef(se)} .spec.ports`,
        }),
  );
  const resolution = se.spec.resolution ?? 'NONE';
  const byDns = finding('L11.SE_RESOLUTION');
  out.push(
    resolution === 'DNS' || resolution === 'DNS_ROUND_ROBIN'
      ? byDns.pass({ actual: `resolution ${resolution}` })
      : byDns.fail({
          expected: 'resolution: DNS',
          actual: `resolution ${resolution}${se.spec.resolution ? '' : ' (default)'}`,
          ...(resolution === 'NONE' ? {} : { hint: 'static' }),
          next,
          path: `${seRef(se)} .spec.resolution`,
        }),
  );
  const location = se.spec.location ?? 'MESH_EXTERNAL';
  const external = finding('L11.SE_LOCATION');
  out.push(
    location === 'MESH_EXTERNAL'
      ? external.pass({ actual: location })
      : external.fail({
          expected: 'location: MESH_EXTERNAL',
          actual: `location ${location}`,
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
    const worksAgain = finding('L11.EXTERNAL_REGISTERED', { host: externalHost, httpCode: call.value.httpCode });
    out.push(
      call.ok
        ? worksAgain.pass({ actual: describeCall(call.value) })
        : worksAgain.fail({
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
