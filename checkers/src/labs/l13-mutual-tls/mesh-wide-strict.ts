import { defineCheck, effectivePolicy, finding, type Assertion, type PeerAuthentication } from '../../check-api';
import { callUntil, describeCall, httpbinHost, labId, modeOf, paRef, refused, rootNs } from './mtls-objects';

const selectorLess = (p: PeerAuthentication) => Object.keys(p.spec.selector?.matchLabels ?? {}).length === 0;

/** Step 4: a selector-less STRICT PeerAuthentication in the root namespace; legacy → foo is refused. */
export const meshWideStrict = defineCheck({
  labId,
  stepId: 'mesh-wide-strict',
  kind: 'state',
  async run(ctx) {
    const pas = await ctx.cluster.peerAuthentications();
    const mesh = effectivePolicy(pas.filter((p) => p.metadata.namespace === rootNs && selectorLess(p)), { namespace: rootNs, labels: {} }, rootNs).byLevel.namespace;
    if (!mesh || modeOf(mesh) !== 'STRICT') {
      const misplaced = pas.find((p) => p.metadata.namespace !== rootNs && !['foo', 'bar'].includes(p.metadata.namespace) && selectorLess(p) && modeOf(p) === 'STRICT');
      return [
        finding('L13.MESH_STRICT', { root: rootNs, policy: misplaced ? paRef(misplaced) : '', namespace: misplaced?.metadata.namespace ?? '' }).fail({
          expected: `PeerAuthentication in ${rootNs} without selector, mtls.mode STRICT`,
          actual: mesh ? `${paRef(mesh)} mode ${modeOf(mesh)}` : misplaced ? `${paRef(misplaced)} (not in ${rootNs})` : `no PeerAuthentication without selector in ${rootNs}`,
          next: 'kubectl get peerauthentication -A',
          ...(misplaced && !mesh ? { hint: 'wrongNamespace', path: paRef(misplaced) } : {}),
        }),
      ];
    }
    const out: Assertion[] = [finding('L13.MESH_STRICT', { root: rootNs }).pass({ actual: `${paRef(mesh)} mode STRICT`, path: paRef(mesh) })];
    const service = httpbinHost('foo');
    const plain = await callUntil(ctx, 'legacy', `http://${service}:8000/ip`, refused);
    const f = finding('L13.PLAINTEXT_REFUSED', { service });
    out.push(plain.ok ? f.pass({ actual: `legacy/curl → ${service}: ${describeCall(plain.value)}` }) : f.fail({ expected: '000 (connection reset)', actual: describeCall(plain.value), next: 'kubectl get peerauthentication -A' }));
    return out;
  },
});
