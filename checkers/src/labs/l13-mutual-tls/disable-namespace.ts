import { defineCheck, effectivePolicy, finding, type Assertion, type PeerAuthentication } from '../../check-api';
import { callUntil, describeCall, httpbinHost, labId, modeOf, mtlsView, paRef, rootNs } from './mtls-objects';

const selectorLess = (p: PeerAuthentication) => Object.keys(p.spec.selector?.matchLabels ?? {}).length === 0;

/** Step 5: foo's namespace policy DISABLE; foo/curl's call reaches httpbin without a client certificate. */
export const disableNamespace = defineCheck({
  labId,
  stepId: 'disable-namespace',
  kind: 'state',
  async run(ctx) {
    const view = await mtlsView(ctx, 'foo');
    const ns = view.namespacePolicy;
    const disable = finding('L13.NS_DISABLE', { namespace: 'foo', winner: view.decision.from ? paRef(view.decision.from.policy) : '' });
    if (!ns || modeOf(ns) !== 'DISABLE')
      return [
        disable.fail({
          expected: 'PeerAuthentication in foo without selector, mtls.mode DISABLE',
          actual: ns ? `${paRef(ns)} mode ${modeOf(ns)}` : 'no PeerAuthentication without selector in foo',
          next: 'kubectl get peerauthentication -n foo -o yaml',
          ...(ns ? { path: `${paRef(ns)} .spec.mtls.mode` } : {}),
        }),
      ];
    if (view.decision.mode !== 'DISABLE' && view.decision.from?.level === 'workload')
      return [disable.fail({ expected: 'httpbin in foo DISABLE', actual: `${paRef(view.decision.from.policy)} sets ${view.decision.mode}`, next: 'kubectl get peerauthentication -n foo -o yaml', hint: 'workloadOverride' })];
    const out: Assertion[] = [disable.pass({ actual: `${paRef(ns)} mode DISABLE`, path: paRef(ns) })];

    const service = httpbinHost('foo');
    const call = await callUntil(ctx, 'foo', `http://${service}:8000/headers`, (r) => r.httpCode === 200 && !/x-forwarded-client-cert/i.test(r.body));
    const plain = finding('L13.NO_XFCC', { service });
    out.push(
      call.ok
        ? plain.pass({ actual: `foo/curl → ${service}: HTTP 200, no X-Forwarded-Client-Cert` })
        : plain.fail({
            expected: 'HTTP 200 without X-Forwarded-Client-Cert',
            actual: call.value.httpCode === 200 ? 'X-Forwarded-Client-Cert still present' : describeCall(call.value),
            next: 'kubectl get peerauthentication -A',
          }),
    );
    const mesh = effectivePolicy(view.pas.filter((p) => p.metadata.namespace === rootNs && selectorLess(p)), { namespace: rootNs, labels: {} }, rootNs).byLevel.namespace;
    if (mesh && modeOf(mesh) === 'STRICT')
      out.push(finding('L13.MESH_POLICY_LEFT', { root: rootNs, policy: paRef(mesh) }).warn({ expected: `no STRICT policy without selector in ${rootNs}`, actual: `${paRef(mesh)} mode STRICT`, next: `kubectl -n ${rootNs} delete peerauthentication ${mesh.metadata.name}` }));
    else out.push(finding('L13.MESH_POLICY_LEFT', { root: rootNs, policy: '' }).pass({ actual: `no mesh-wide STRICT policy in ${rootNs}` }));
    return out;
  },
});
