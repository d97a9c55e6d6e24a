import {
  catchAllIndex,
  defineCheck,
  finding,
  kindRef,
  oneVirtualService,
  pollBudgets,
  routeShares,
  type Assertion,
  type CheckContext,
  type VirtualService,
} from '../../check-api';
import { formatMs, parseIstioDuration } from '../../istio/istio-duration';
import { externalHost } from './external-call';

const delaySeconds = 5;

const vsRef = (vs: VirtualService) => kindRef('VirtualService', vs);

/** `curl -w '%{http_code} %{time_total}'` output: status and seconds. */
export function parseCodeAndTime(stdout: string): { code: number; seconds: number } | undefined {
  const m = /(\d{3})\s+([\d.]+)\s*$/.exec(stdout.trim());
  return m ? { code: Number(m[1]), seconds: Number(m[2]) } : undefined;
}

/** Protocol of port 80 on the ServiceEntry for api.example.com ('none' when there is no such entry or port). */
async function externalPortProtocol(ctx: Pick<CheckContext, 'cluster'>): Promise<string> {
  const se = (await ctx.cluster.serviceEntries()).find((x) =>
    x.spec.hosts.map((h) => h.toLowerCase()).includes(externalHost),
  );
  const port = (se?.spec.ports ?? []).find((x) => x.number === 80);
  if (!port) return 'none';
  return port.protocol?.toUpperCase() ?? 'no protocol';
}

/** Step 4: a VS on api.example.com with a 3 s timeout; `/delay/5` fails at ~3 s with 504. */
export const egressTimeout = defineCheck({
  labId: 'l11-egress-serviceentry',
  stepId: 'egress-timeout',
  kind: 'probe',
  async run(ctx) {
    // The caller is default/curl: the VS must apply to sidecars there (exportTo, gateways).
    const found = oneVirtualService(await ctx.cluster.virtualServices(), {
      code: 'L11.VS_EXTERNAL',
      params: { service: externalHost },
      host: externalHost,
      clientNamespace: 'default',
      lessonName: 'api-example',
      lessonNamespace: 'default',
    });
    const out: Assertion[] = [...found.assertions];
    const vs = found.object;
    if (!vs) return out;
    const http = vs.spec.http ?? [];
    const ci = catchAllIndex(http);
    const rule = ci >= 0 ? http[ci] : undefined;
    const next = `kubectl get virtualservice -n ${vs.metadata.namespace} ${vs.metadata.name} -o yaml`;
    const path = `${vsRef(vs)} .spec.http[${Math.max(ci, 0)}]`;
    const ms = parseIstioDuration(rule?.timeout);
    const timesOut = finding('L11.TIMEOUT', { host: externalHost, delay: delaySeconds, timeout: rule?.timeout ?? '' });
    if (ms === undefined || ms <= 0 || ms >= delaySeconds * 1000) {
      out.push(
        timesOut.fail({
          expected: 'timeout: 3s on the route',
          actual: rule?.timeout ? `timeout ${rule.timeout}` : 'no timeout',
          ...(ms !== undefined && ms >= delaySeconds * 1000 ? { hint: 'afterDelay' } : {}),
          next,
          path,
        }),
      );
      return out;
    }
    out.push(timesOut.pass({ actual: `timeout ${rule?.timeout}`, path }));
    const dests = rule ? routeShares(vs, ci) : [];
    if (dests.some((d) => d.host !== externalHost)) {
      out.push(
        finding('L11.TIMEOUT_ROUTE_HOST', { host: externalHost }).fail({
          expected: `destination host ${externalHost}`,
          actual: dests.map((d) => d.host).join(', '),
          next,
          path,
        }),
      );
      return out;
    }
    const argv = [
      'curl',
      '-s',
      '-o',
      '/dev/null',
      '-w',
      '%{http_code} %{time_total}',
      '-m',
      '10',
      `http://${externalHost}/delay/${delaySeconds}`,
    ];
    const res = await ctx.poll(
      async () => {
        const r = await ctx.probes.exec('default', 'app=curl', argv);
        return { parsed: parseCodeAndTime(r.stdout), pod: r.pod, stdout: r.stdout };
      },
      { until: (v) => v.parsed?.code === 504, ...pollBudgets.propagation, passesInARow: 1 },
    );
    const p = res.value.parsed;
    // A 200 after the full delay means no HTTP route applied; a non-HTTP ServiceEntry port is the usual cause.
    const sePort = p?.code === 200 ? await externalPortProtocol(ctx) : undefined;
    const lo = ms / 1000 - 0.5;
    const hi = ms / 1000 + 1.5;
    const observed = finding('L11.TIMEOUT_OBSERVED', {
      delay: delaySeconds,
      timeout: formatMs(ms),
      host: externalHost,
      protocol: sePort ?? '',
    });
    out.push(
      p && p.code === 504 && p.seconds >= lo && p.seconds <= hi
        ? observed.pass({ actual: `HTTP 504 after ${p.seconds.toFixed(1)} s` })
        : observed.fail({
            expected: `HTTP 504 after ${lo.toFixed(1)}–${hi.toFixed(1)} s`,
            actual: p
              ? `HTTP ${p.code} after ${p.seconds.toFixed(1)} s from ${res.value.pod}`
              : `unreadable curl output "${res.value.stdout.slice(0, 80)}"`,
            hint:
              p?.code === 200
                ? sePort === 'none'
                  ? 'noServiceEntry'
                  : sePort !== 'HTTP'
                    ? 'notHttp'
                    : 'notPushedYet'
                : p?.code === 502
                  ? 'blocked'
                  : 'other',
            next:
              sePort !== undefined && sePort !== 'HTTP'
                ? 'kubectl get serviceentry -A -o yaml'
                : 'istioctl proxy-status',
          }),
    );
    return out;
  },
});
