import { defineCheck, destinationRuleFor, finding, serviceFqdn, type Assertion } from '../../check-api';
import { callUntil, describeCall, httpbinHost, labId, modeOf, mtlsView, paRef, refused } from './mtls-objects';

/**
 * Step 2: a selector-less STRICT PeerAuthentication in foo (any name), and its effect: plain text
 * from legacy is reset while bar's sidecar still gets through over mTLS.
 */
export const strictNamespace = defineCheck({
  labId,
  stepId: 'strict-namespace',
  kind: 'state',
  async run(ctx) {
    const view = await mtlsView(ctx, 'foo');
    const strict = finding('L13.NS_STRICT', {
      namespace: 'foo',
      winner: view.namespacePolicy ? paRef(view.namespacePolicy) : '',
      ignored: view.ignoredNamespacePolicies.map(paRef).join(', '),
    });
    const ns = view.namespacePolicy;
    if (!ns || modeOf(ns) !== 'STRICT') {
      const strictIgnored = view.ignoredNamespacePolicies.find((p) => modeOf(p) === 'STRICT');
      return [
        strict.fail({
          expected: 'PeerAuthentication in foo without selector, mtls.mode STRICT',
          actual: ns ? `${paRef(ns)} mode ${modeOf(ns)}${strictIgnored ? `; ${paRef(strictIgnored)} (STRICT) is newer and ignored` : ''}` : 'no PeerAuthentication without selector in foo',
          next: 'kubectl get peerauthentication -n foo',
          ...(strictIgnored ? { hint: 'olderWins' } : {}),
          ...(ns ? { path: `${paRef(ns)} .spec.mtls.mode` } : {}),
        }),
      ];
    }
    const out: Assertion[] = [];
    if (view.decision.mode !== 'STRICT' && view.decision.from?.level === 'workload') {
      const w = finding('L13.NS_STRICT', { namespace: 'foo', winner: paRef(view.decision.from.policy) });
      return [w.fail({ expected: 'httpbin in foo STRICT', actual: `${paRef(view.decision.from.policy)} sets ${view.decision.mode}`, next: 'kubectl get peerauthentication -n foo -o yaml', hint: 'workloadOverride' })];
    }
    out.push(strict.pass({ actual: `${paRef(ns)} mode STRICT`, path: paRef(ns) }));

    const service = httpbinHost('foo');
    const plain = await callUntil(ctx, 'legacy', `http://${service}:8000/ip`, refused);
    const refusedFinding = finding('L13.PLAINTEXT_REFUSED', { service });
    out.push(
      plain.ok
        ? refusedFinding.pass({ actual: `legacy/curl → ${service}: ${describeCall(plain.value)}` })
        : refusedFinding.fail({ expected: '000 (connection reset)', actual: describeCall(plain.value), next: 'kubectl -n foo get pods' }),
    );
    const mesh = await callUntil(ctx, 'bar', `http://${service}:8000/ip`, (r) => r.httpCode === 200);
    const meshFinding = finding('L13.MESH_CALL', { service, destinationRule: '' });
    if (mesh.ok) out.push(meshFinding.pass({ actual: `bar/curl → ${service}: HTTP 200` }));
    else {
      const { dr } = destinationRuleFor(await ctx.cluster.destinationRules(), { host: serviceFqdn('httpbin', 'foo'), clientNamespace: 'bar', serviceNamespace: 'foo' });
      const tlsOff = (dr?.spec.trafficPolicy?.tls?.mode ?? '').toUpperCase() === 'DISABLE';
      const ref = dr ? `DestinationRule ${dr.metadata.namespace}/${dr.metadata.name}` : '';
      out.push(
        finding('L13.MESH_CALL', { service, destinationRule: ref }).fail({
          expected: 'HTTP 200 over mutual TLS',
          actual: describeCall(mesh.value),
          next: tlsOff ? `kubectl get destinationrule -n ${dr?.metadata.namespace ?? 'foo'} ${dr?.metadata.name ?? ''} -o yaml` : 'kubectl -n bar get pods',
          ...(tlsOff ? { hint: 'tlsDisabled', path: `${ref} .spec.trafficPolicy.tls` } : {}),
        }),
      );
    }
    return out;
  },
});
