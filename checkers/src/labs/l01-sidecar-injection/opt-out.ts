import { defineCheck, fail, hasIstioProxy, pass, type Assertion } from '../../check-api';
import { findDeployment, injectionLabels, introNs, podsOf } from './workloads';

/** Step 6: intro/legacy-client opts out with the pod-template label while the namespace stays labelled. */
export const optOut = defineCheck({
  labId: 'l01-sidecar-injection',
  stepId: 'opt-out',
  kind: 'state',
  async run({ cluster }) {
    const [ns, deployments, pods] = await Promise.all([cluster.namespace(introNs), cluster.deployments(introNs), cluster.pods(introNs)]);
    const out: Assertion[] = [];
    const labels = injectionLabels(ns);
    if (labels.state === 'enabled' || labels.state === 'revision') out.push(pass('L01.NS_STILL_LABELLED', `namespace ${introNs} stays labelled for injection`));
    else out.push(fail('L01.NS_STILL_LABELLED', `namespace ${introNs} stays labelled for injection`, { expected: 'istio-injection=enabled', actual: 'not labelled', hint: 'Opting one workload out only makes sense while the namespace injects everything else; keep the label.', next: `kubectl label namespace ${introNs} istio-injection=enabled --overwrite` }));
    const d = findDeployment(deployments, 'legacy-client');
    if (!d) {
      out.push(fail('L01.LEGACY_DEPLOY', `Deployment ${introNs}/legacy-client exists`, { expected: 'a Deployment legacy-client in intro', actual: 'none', hint: 'Deploy the legacy client as the lesson shows, with the opt-out label in its pod template.', next: `kubectl get deploy -n ${introNs}` }));
      return out;
    }
    const name = d.metadata?.name ?? 'legacy-client';
    const templateLabel = d.spec?.template?.metadata?.labels?.['sidecar.istio.io/inject'];
    const templateAnnotation = d.spec?.template?.metadata?.annotations?.['sidecar.istio.io/inject'];
    const deploymentLabel = d.metadata?.labels?.['sidecar.istio.io/inject'];
    const path = `Deployment ${introNs}/${name} .spec.template.metadata.labels`;
    if (templateLabel === 'false') out.push(pass('L01.OPT_OUT_LABEL', 'the pod template carries sidecar.istio.io/inject: "false" as a label'));
    else if (templateAnnotation === 'false') out.push(fail('L01.OPT_OUT_LABEL', 'the pod template carries sidecar.istio.io/inject: "false" as a label', { expected: 'label sidecar.istio.io/inject: "false" on the pod template', actual: 'set as an annotation', hint: 'Use the pod label: the annotation form is deprecated, and the label is what the injector webhook selects on.', next: `kubectl -n ${introNs} patch deploy ${name} -p '{"spec":{"template":{"metadata":{"labels":{"sidecar.istio.io/inject":"false"}}}}}'`, path }));
    else if (deploymentLabel === 'false') out.push(fail('L01.OPT_OUT_LABEL', 'the pod template carries sidecar.istio.io/inject: "false" as a label', { expected: 'the label on spec.template.metadata.labels', actual: 'only on the Deployment\'s own metadata', hint: 'The injector looks at the Pod, so the label must be in the pod template, not on the Deployment object.', next: `kubectl -n ${introNs} edit deploy ${name}`, path }));
    else out.push(fail('L01.OPT_OUT_LABEL', 'the pod template carries sidecar.istio.io/inject: "false" as a label', { expected: 'sidecar.istio.io/inject: "false"', actual: templateLabel === undefined ? 'no such label' : `"${templateLabel}"`, hint: 'Add the label to the pod template so the injector skips this workload.', path }));
    const live = podsOf(d, pods);
    const injected = live.filter(hasIstioProxy);
    if (live.length === 0) out.push(fail('L01.LEGACY_PODS', 'the legacy-client pod runs without a proxy', { expected: 'a Running pod without istio-proxy', actual: 'no Running pod', hint: 'Wait for the pod to start.', next: `kubectl get pods -n ${introNs} -l app=legacy-client` }));
    else if (injected.length) out.push(fail('L01.LEGACY_PODS', 'the legacy-client pod runs without a proxy', { expected: 'no istio-proxy', actual: `injected: ${injected.map((p) => p.metadata?.name ?? '').join(', ')}`, hint: 'Pods created before the opt-out keep their proxy; restart the Deployment after adding the label.', next: `kubectl -n ${introNs} rollout restart deploy/${name}` }));
    else out.push(pass('L01.LEGACY_PODS', 'the legacy-client pod runs without a proxy'));
    return out;
  },
});
