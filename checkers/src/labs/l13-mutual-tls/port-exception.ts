import { defineCheck, finding, type Assertion } from '../../check-api';
import { callUntil, containerPort, describeCall, labId, mtlsView, paRef, servicePort } from './mtls-objects';

/**
 * Step 3: a workload policy for httpbin in bar, STRICT, with port 8080 (the container port) DISABLE;
 * plain text from legacy then still reaches httpbin.bar:8000.
 */
export const portException = defineCheck({
  labId,
  stepId: 'port-exception',
  kind: 'state',
  async run(ctx) {
    const [atPort, elsewhere] = await Promise.all([mtlsView(ctx, 'bar', containerPort), mtlsView(ctx, 'bar', null)]);
    const workloadPolicy = atPort.decision.from?.level === 'workload' ? atPort.decision.from.policy : undefined;
    const params = { port: String(containerPort), key: String(servicePort) };
    const exception = finding('L13.PORT_EXCEPTION', params);
    const keys = Object.keys(workloadPolicy?.spec.portLevelMtls ?? {});
    if (!workloadPolicy) {
      const anyWorkload = atPort.pas.find((p) => p.metadata.namespace === 'bar' && Object.keys(p.spec.selector?.matchLabels ?? {}).length > 0);
      return [
        exception.fail({
          expected: `PeerAuthentication in bar, selector app: httpbin, STRICT, portLevelMtls "${containerPort}": DISABLE`,
          actual: anyWorkload ? `${paRef(anyWorkload)} selects ${JSON.stringify(anyWorkload.spec.selector?.matchLabels)}, not httpbin's pods` : 'no workload PeerAuthentication for httpbin in bar',
          next: 'kubectl get peerauthentication -n bar -o yaml',
        }),
      ];
    }
    const path = `${paRef(workloadPolicy)} .spec.portLevelMtls`;
    if (atPort.decision.mode !== 'DISABLE' || !atPort.decision.from?.portLevel) {
      const byServicePort = keys.includes(String(servicePort));
      return [
        exception.fail({
          expected: `portLevelMtls "${containerPort}": {mode: DISABLE}`,
          actual: keys.length ? `portLevelMtls keys ${keys.join(', ')}; port ${containerPort} is ${atPort.decision.mode}` : `no portLevelMtls; port ${containerPort} is ${atPort.decision.mode}`,
          next: `kubectl get peerauthentication -n bar ${workloadPolicy.metadata.name} -o yaml`,
          path,
          ...(byServicePort ? { hint: 'servicePort' } : {}),
        }),
      ];
    }
    if (elsewhere.decision.mode !== 'STRICT')
      return [
        exception.fail({
          expected: 'mtls.mode STRICT for httpbin\'s other ports',
          actual: `${elsewhere.decision.mode}`,
          next: `kubectl get peerauthentication -n bar ${workloadPolicy.metadata.name} -o yaml`,
          path: `${paRef(workloadPolicy)} .spec.mtls.mode`,
          hint: 'notStrict',
        }),
      ];
    const out: Assertion[] = [exception.pass({ actual: `${paRef(workloadPolicy)}: STRICT, port ${containerPort} DISABLE`, path })];
    const call = await callUntil(ctx, 'legacy', `http://httpbin.bar:${servicePort}/ip`, (r) => r.httpCode === 200);
    const callFinding = finding('L13.PORT_CALL', params);
    out.push(
      call.ok
        ? callFinding.pass({ actual: `legacy/curl → httpbin.bar:${servicePort}: HTTP 200` })
        : callFinding.fail({ expected: 'HTTP 200', actual: describeCall(call.value), next: 'kubectl get peerauthentication -A' }),
    );
    return out;
  },
});
