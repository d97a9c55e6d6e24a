import { defineCheck, fail, pass, pollBudgets, type Assertion } from '../../check-api';
import { httpbinHostName, introNs } from './httpbin-gateway';

const watched = new Set(['IST0101', 'IST0132', 'IST0162', 'IST0145']);

/** Step 3: through the ingress gateway, Host httpbin.example.com reaches httpbin; another Host gets 404. */
export const callThroughGateway = defineCheck({
  labId: 'l02-ingress-gateway',
  stepId: 'call-through-gateway',
  kind: 'probe',
  async run({ probes, poll }) {
    const out: Assertion[] = [];
    const good = await poll(() => probes.ing({ path: '/headers', host: httpbinHostName }), { ...pollBudgets.propagation, until: (r) => r.status === 200 });
    if (good.ok) out.push(pass('L02.CALL_HOST', `GET /headers with Host: ${httpbinHostName} → 200`));
    else
      out.push(
        fail('L02.CALL_HOST', `GET /headers with Host: ${httpbinHostName} → 200`, {
          expected: 'HTTP 200 from httpbin',
          actual: good.value.status ? `HTTP ${good.value.status}` : 'no answer',
          hint: good.value.status === 404 ? 'The gateway found no route for this Host and path: check that the VirtualService is bound to the Gateway and lists the host.' : 'The request through the ingress gateway did not reach httpbin.',
          next: `curl -s -o /dev/null -w '%{http_code}\\n' -H 'Host: ${httpbinHostName}' $GATEWAY_URL/headers`,
        }),
      );
    const other = await probes.ing({ path: '/headers', host: 'nope.example.com' });
    if (other.status === 404) out.push(pass('L02.CALL_OTHER_HOST', 'the same path with another Host → 404'));
    else out.push(fail('L02.CALL_OTHER_HOST', 'the same path with another Host → 404', { expected: 'HTTP 404 (no route for that Host)', actual: `HTTP ${other.status}`, hint: 'Requests for other hosts are answered too: the Gateway or VirtualService uses "*" where it should name httpbin.example.com.', next: `kubectl get gateway,virtualservice -n ${introNs}` }));
    const findings = await probes.analyze(introNs);
    if (findings) {
      const relevant = findings.filter((f) => watched.has(f.code) && /Gateway|VirtualService/.test(f.origin ?? ''));
      if (relevant.length) for (const f of relevant) out.push(fail(f.code, `istioctl analyze: ${f.code} on ${f.origin ?? 'an object'}`, { expected: 'no analyzer finding for the gateway objects', actual: f.level, hint: f.message, next: `istioctl analyze -n ${introNs}` }));
      else out.push(pass('L02.ANALYZE', 'istioctl analyze finds nothing wrong with the gateway objects'));
    }
    return out;
  },
});
