// istioctl analyze's own finding is reported as is (its message names the objects), so this check builds it raw.
// eslint-disable-next-line no-restricted-imports
import { defineCheck, fail, finding, isCheckCode, pollBudgets, type Assertion } from '../../check-api';
import { httpbinHostName, introNs } from './httpbin-gateway';

const watched = new Set(['IST0101', 'IST0132', 'IST0162', 'IST0145']);

/** Step 3: through the ingress gateway, Host httpbin.example.com reaches httpbin; another Host gets 404. */
export const callThroughGateway = defineCheck({
  labId: 'l02-ingress-gateway',
  stepId: 'call-through-gateway',
  kind: 'probe',
  async run({ probes, poll }) {
    const out: Assertion[] = [];
    const good = await poll(() => probes.ing({ path: '/headers', host: httpbinHostName }), {
      ...pollBudgets.propagation,
      until: (r) => r.status === 200,
    });
    const call = finding('L02.CALL_HOST');
    if (good.ok) out.push(call.pass());
    else
      out.push(
        call.fail({
          expected: 'HTTP 200 from httpbin',
          actual: good.value.status ? `HTTP ${good.value.status}` : 'no answer',
          next: `curl -s -o /dev/null -w '%{http_code}\\n' -H 'Host: ${httpbinHostName}' $GATEWAY_URL/headers`,
          ...(good.value.status === 404 ? { hint: 'notFound' } : {}),
        }),
      );
    const other = await probes.ing({ path: '/headers', host: 'nope.example.com' });
    const otherHost = finding('L02.CALL_OTHER_HOST');
    if (other.status === 404) out.push(otherHost.pass());
    else
      out.push(
        otherHost.fail({
          expected: 'HTTP 404 (no route for that Host)',
          actual: `HTTP ${other.status}`,
          next: `kubectl get gateway,virtualservice -n ${introNs}`,
        }),
      );
    const findings = await probes.analyze(introNs);
    if (findings) {
      const relevant = findings.filter((f) => watched.has(f.code) && /Gateway|VirtualService/.test(f.origin ?? ''));
      // istioctl's own message is the hint: it names the objects; the catalogue entry gives the docs.
      for (const f of relevant)
        if (isCheckCode(f.code))
          out.push(
            fail(f.code, `istioctl analyze: ${f.code} on ${f.origin ?? 'an object'}`, {
              expected: 'no analyzer finding for the gateway objects',
              actual: f.level,
              hint: f.message,
              next: `istioctl analyze -n ${introNs}`,
            }),
          );
      if (!relevant.length) out.push(finding('L02.ANALYZE').pass());
    }
    return out;
  },
});
