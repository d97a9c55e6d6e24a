import {
  defineCheck,
  finding,
  hasIstioProxy,
  namespaceInjection,
  workloadReadiness,
  type Assertion,
} from '../../check-api';
import { findDeployment, readNamespace, templateHasProxy } from './workloads';

const manualNs = 'manual';

/** Step 5: httpbin in an unlabelled namespace, injected by `istioctl kube-inject` into the template. */
export const manualInjection = defineCheck({
  labId: 'l01-sidecar-injection',
  stepId: 'manual-injection',
  kind: 'state',
  async run({ cluster }) {
    const { namespace, deployments, pods } = await readNamespace(cluster, manualNs);
    const nsFinding = finding('L01.NS_MANUAL');
    if (!namespace)
      return [
        nsFinding.fail({
          expected: `namespace ${manualNs} (without injection label)`,
          actual: 'not found',
          next: `kubectl create namespace ${manualNs}`,
        }),
      ];
    const out: Assertion[] = [];
    const labels = namespaceInjection(namespace);
    if (labels.state === 'none' || (labels.state === 'wrong-value' && labels.value === 'disabled'))
      out.push(nsFinding.pass());
    else
      out.push(
        finding('L01.NS_MANUAL_LABELLED').fail({
          expected: 'no istio-injection / istio.io/rev label',
          actual: JSON.stringify(namespace.metadata?.labels ?? {}),
          next: `kubectl label namespace ${manualNs} istio-injection- istio.io/rev-`,
        }),
      );
    const inject = `istioctl kube-inject -f httpbin.yaml | kubectl apply -n ${manualNs} -f -`;
    const d = findDeployment(deployments, 'httpbin');
    if (!d) {
      out.push(
        finding('L01.MANUAL_DEPLOY').fail({
          expected: 'httpbin applied through istioctl kube-inject',
          actual: 'none',
          next: inject,
        }),
      );
      return out;
    }
    const ref = `${manualNs}/${d.metadata?.name ?? ''}`;
    const template = finding('L01.TEMPLATE_INJECTED', { deployment: ref });
    if (!templateHasProxy(d)) {
      out.push(
        template.fail({
          expected: 'istio-proxy in spec.template (containers or initContainers)',
          actual: 'a plain template',
          next: inject,
          path: `Deployment ${ref} .spec.template.spec`,
        }),
      );
      return out;
    }
    out.push(template.pass({ note: 'note' }));
    const w = workloadReadiness(d, pods, hasIstioProxy);
    const podsFinding = finding('L01.MANUAL_PODS', { detail: w.detail });
    out.push(
      w.ready
        ? podsFinding.pass({ actual: w.detail })
        : podsFinding.fail({
            expected: 'every httpbin pod Running and Ready with istio-proxy',
            actual: w.detail,
            next: `kubectl -n ${manualNs} rollout status deploy/${d.metadata?.name ?? 'httpbin'}`,
          }),
    );
    return out;
  },
});
