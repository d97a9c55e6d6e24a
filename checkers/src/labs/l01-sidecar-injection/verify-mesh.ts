import {
  defineCheck,
  finding,
  hasIstioProxy,
  isRunning,
  pollBudgets,
  CheckRunError,
  type Assertion,
} from '../../check-api';
import { parseSyncz, staleTypes } from './syncz';
import { introNs } from './workloads';

const httpbinUrl = `http://httpbin.${introNs}:8000/headers`;

/** Step 7: the intro proxies are in sync with istiod, and curl → httpbin goes over mutual TLS. */
export const verifyMesh = defineCheck({
  labId: 'l01-sidecar-injection',
  stepId: 'verify-mesh',
  kind: 'probe',
  async run({ cluster, probes, poll }) {
    const out: Assertion[] = [];
    const injected = (await cluster.pods(introNs)).filter((p) => isRunning(p) && hasIstioProxy(p));
    const ids = injected.map((p) => `${p.metadata?.name ?? ''}.${introNs}`);
    if (ids.length === 0) {
      return [
        finding('IST0103', { namespace: introNs }).fail({
          expected: 'injected httpbin and curl pods',
          actual: 'no injected pod',
          next: `kubectl get pods -n ${introNs}`,
          hint: 'first',
        }),
      ];
    }
    const synced = await poll(
      async () => {
        const entries = parseSyncz(await probes.istiod('/debug/syncz'));
        if (!entries) throw new CheckRunError('unreachable', 'istiod /debug/syncz answered something unexpected');
        return ids.map((id) => {
          const entry = entries.find((e) => e.proxy === id);
          return { id, connected: Boolean(entry), stale: entry ? staleTypes(entry) : [] };
        });
      },
      { ...pollBudgets.propagation, until: (rows) => rows.every((r) => r.connected && r.stale.length === 0) },
    );
    const bad = synced.value.filter((r) => !r.connected || r.stale.length);
    const status = finding('L01.PROXY_STATUS');
    if (synced.ok) out.push(status.pass({ actual: `${ids.length} proxies, every xDS type ACKed` }));
    else
      out.push(
        status.fail({
          expected: 'every proxy connected and every xDS push ACKed',
          actual: bad
            .map((r) => (r.connected ? `${r.id}: STALE ${r.stale.join(', ')}` : `${r.id}: not connected`))
            .join('; '),
          next: 'istioctl proxy-status',
        }),
      );
    const call = await poll(() => probes.curl(introNs, 'app=curl', { url: httpbinUrl }), {
      ...pollBudgets.propagation,
      until: (r) => r.httpCode === 200 && /x-forwarded-client-cert/i.test(r.body),
    });
    const r = call.value;
    const mtls = finding('L01.MTLS_CALL');
    if (call.ok) out.push(mtls.pass({ actual: `HTTP 200 from ${r.pod}, X-Forwarded-Client-Cert present` }));
    else if (r.httpCode === 200)
      out.push(
        mtls.fail({
          expected: 'an X-Forwarded-Client-Cert header in the echoed request',
          actual: 'HTTP 200 without X-Forwarded-Client-Cert',
          next: `kubectl get pods -n ${introNs}`,
        }),
      );
    else
      out.push(
        mtls.fail({
          expected: `HTTP 200 from ${httpbinUrl}`,
          actual: r.httpCode ? `HTTP ${r.httpCode}` : `no answer (curl exit ${r.curlExitCode})`,
          next: `kubectl -n ${introNs} exec deploy/curl -- curl -sS ${httpbinUrl}`,
          hint: 'callFailed',
        }),
      );
    return out;
  },
});
