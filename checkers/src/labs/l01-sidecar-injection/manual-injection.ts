import { defineCheck, fail, hasIstioProxy, pass, type Assertion } from '../../check-api';
import { findDeployment, injectionLabels, podsOf, templateHasProxy } from './workloads';

const manualNs = 'manual';

/** Step 5: httpbin in an unlabelled namespace, injected by `istioctl kube-inject` into the template. */
export const manualInjection = defineCheck({
  labId: 'l01-sidecar-injection',
  stepId: 'manual-injection',
  kind: 'state',
  async run({ cluster }) {
    const [ns, deployments, pods] = await Promise.all([cluster.namespace(manualNs), cluster.deployments(manualNs), cluster.pods(manualNs)]);
    if (!ns) return [fail('L01.NS_MANUAL', `namespace ${manualNs} exists`, { expected: `namespace ${manualNs} (without injection label)`, actual: 'not found', hint: 'Create a plain namespace for this step; do not label it.', next: `kubectl create namespace ${manualNs}` })];
    const out: Assertion[] = [];
    const labels = injectionLabels(ns);
    if (labels.state === 'none' || (labels.state === 'wrong-value' && labels.value === 'disabled')) out.push(pass('L01.NS_MANUAL', `namespace ${manualNs} has no injection label`));
    else out.push(fail('L01.NS_MANUAL_LABELLED', `namespace ${manualNs} has no injection label`, { expected: 'no istio-injection / istio.io/rev label', actual: JSON.stringify(ns.metadata?.labels ?? {}), hint: 'This step shows injection without the webhook; with the label, the webhook would inject and you would not see what kube-inject does. Remove the label.', next: `kubectl label namespace ${manualNs} istio-injection- istio.io/rev-` }));
    const d = findDeployment(deployments, 'httpbin');
    if (!d) {
      out.push(fail('L01.MANUAL_DEPLOY', `Deployment ${manualNs}/httpbin exists`, { expected: 'httpbin applied through istioctl kube-inject', actual: 'none', hint: 'Pipe the manifest through kube-inject and apply it in this namespace.', next: `istioctl kube-inject -f httpbin.yaml | kubectl apply -n ${manualNs} -f -` }));
      return out;
    }
    if (templateHasProxy(d)) {
      out.push(pass('L01.TEMPLATE_INJECTED', `the Deployment template of ${manualNs}/${d.metadata?.name ?? ''} contains istio-proxy`, { hint: 'kube-inject rewrote the Deployment itself, while automatic injection only changes Pods as they are created.' }));
    } else {
      out.push(fail('L01.TEMPLATE_INJECTED', `the Deployment template of ${manualNs}/${d.metadata?.name ?? ''} contains istio-proxy`, { expected: 'istio-proxy in spec.template (containers or initContainers)', actual: 'a plain template', hint: 'The Deployment was applied as is. Run it through istioctl kube-inject so the proxy is written into the template.', next: `istioctl kube-inject -f httpbin.yaml | kubectl apply -n ${manualNs} -f -`, path: `Deployment ${manualNs}/${d.metadata?.name ?? ''} .spec.template.spec` }));
      return out;
    }
    const live = podsOf(d, pods);
    const bare = live.filter((p) => !hasIstioProxy(p));
    if (live.length === 0) out.push(fail('L01.MANUAL_PODS', 'the injected httpbin pod runs', { expected: 'a Running pod', actual: 'none', hint: 'Wait for the pod to start.', next: `kubectl get pods -n ${manualNs}` }));
    else if (bare.length) out.push(fail('L01.MANUAL_PODS', 'the injected httpbin pod runs with its proxy', { expected: 'istio-proxy in the running pod', actual: `no proxy in ${bare.map((p) => p.metadata?.name ?? '').join(', ')}`, hint: 'An old pod from before the injected apply is still running; wait for the rollout.', next: `kubectl -n ${manualNs} rollout status deploy/${d.metadata?.name ?? 'httpbin'}` }));
    else out.push(pass('L01.MANUAL_PODS', 'the injected httpbin pod runs with its proxy'));
    return out;
  },
});
