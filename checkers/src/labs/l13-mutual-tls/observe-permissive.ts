import { defineCheck, finding, type Assertion } from '../../check-api';
import { callUntil, describeCall, httpbinHost, labId } from './mtls-objects';

const identity = 'spiffe://cluster.local/ns/foo/sa/curl';

/** Step 1: under PERMISSIVE, plain text from legacy is accepted and foo's own call is mTLS (XFCC). */
export const observePermissive = defineCheck({
  labId,
  stepId: 'observe-permissive',
  kind: 'probe',
  async run(ctx) {
    const out: Assertion[] = [];
    const service = httpbinHost('foo');
    const plain = await callUntil(ctx, 'legacy', `http://${service}:8000/ip`, (r) => r.httpCode === 200);
    const ok = finding('L13.PLAINTEXT_OK', { service });
    out.push(
      plain.ok
        ? ok.pass({ actual: `legacy/curl → ${service}: ${describeCall(plain.value)}` })
        : ok.fail({ expected: 'HTTP 200', actual: describeCall(plain.value), next: 'kubectl get peerauthentication -A' }),
    );
    const mtls = await callUntil(ctx, 'foo', `http://${service}:8000/headers`, (r) => r.httpCode === 200 && r.body.includes(`URI=${identity}`));
    const xfcc = finding('L13.XFCC', { service, identity, namespace: 'foo' });
    out.push(
      mtls.ok
        ? xfcc.pass({ actual: `X-Forwarded-Client-Cert names ${identity}` })
        : xfcc.fail({
            expected: `X-Forwarded-Client-Cert with URI=${identity}`,
            actual: mtls.value.httpCode === 200 ? 'no client certificate in the headers httpbin received' : describeCall(mtls.value),
            next: 'kubectl -n foo get pods',
          }),
    );
    return out;
  },
});
