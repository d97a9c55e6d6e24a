import {
  defineCheck,
  finding,
  hasIstioProxy,
  namespaceInjection,
  podOptOut,
  workloadReadiness,
  type Assertion,
} from '../../check-api';
import { findDeployment, introNs, readNamespace } from './workloads';

/**
 * Step 6: intro/legacy-client opts out while the namespace stays labelled. The lesson uses the pod
 * label; the deprecated annotation still works in Istio 1.30, so it passes with a warning.
 */
export const optOut = defineCheck({
  labId: 'l01-sidecar-injection',
  stepId: 'opt-out',
  kind: 'state',
  async run({ cluster }) {
    const { namespace, deployments, pods } = await readNamespace(cluster, introNs);
    const out: Assertion[] = [];
    const labels = namespaceInjection(namespace);
    const stillLabelled = finding('L01.NS_STILL_LABELLED');
    if (labels.state === 'enabled' || labels.state === 'revision') out.push(stillLabelled.pass());
    else
      out.push(
        stillLabelled.fail({
          expected: 'istio-injection=enabled',
          actual: 'not labelled',
          next: `kubectl label namespace ${introNs} istio-injection=enabled --overwrite`,
        }),
      );
    const d = findDeployment(deployments, 'legacy-client');
    if (!d) {
      out.push(
        finding('L01.LEGACY_DEPLOY').fail({
          expected: 'a Deployment legacy-client in intro',
          actual: 'none',
          next: `kubectl get deploy -n ${introNs}`,
        }),
      );
      return out;
    }
    const name = d.metadata?.name ?? 'legacy-client';
    const path = `Deployment ${introNs}/${name} .spec.template.metadata.labels`;
    const optOutFinding = finding('L01.OPT_OUT_LABEL');
    const how = podOptOut(d.spec?.template?.metadata);
    const patch = `kubectl -n ${introNs} patch deploy ${name} -p '{"spec":{"template":{"metadata":{"labels":{"sidecar.istio.io/inject":"false"}}}}}'`;
    const expected = 'label sidecar.istio.io/inject: "false" on the pod template';
    if (how.optedOut && how.via === 'label') out.push(optOutFinding.pass({ actual: 'pod-template label' }));
    else if (how.optedOut)
      out.push(
        optOutFinding.warn({
          expected,
          actual: 'set as the deprecated annotation',
          next: patch,
          path,
          hint: 'annotation',
        }),
      );
    else if (d.metadata?.labels?.['sidecar.istio.io/inject'] === 'false')
      out.push(
        optOutFinding.fail({
          expected,
          actual: "only on the Deployment's own metadata",
          next: `kubectl -n ${introNs} edit deploy ${name}`,
          path,
          hint: 'deploymentOnly',
        }),
      );
    else out.push(optOutFinding.fail({ expected, actual: 'no opt-out on the pod template', next: patch, path }));
    const w = workloadReadiness(d, pods, (p) => !hasIstioProxy(p));
    const legacy = finding('L01.LEGACY_PODS', { detail: w.detail });
    const injected = w.problems.filter((p) => p.why === 'wrong-shape').map((p) => p.pod);
    if (w.ready) out.push(legacy.pass({ actual: w.detail }));
    else if (injected.length)
      out.push(
        legacy.fail({
          expected: 'no istio-proxy',
          actual: `injected: ${injected.join(', ')}`,
          next: `kubectl -n ${introNs} rollout restart deploy/${name}`,
        }),
      );
    else
      out.push(
        legacy.fail({
          expected: 'a Running, Ready pod without istio-proxy',
          actual: w.detail,
          next: `kubectl get pods -n ${introNs} -l app=legacy-client`,
          hint: 'notRunning',
        }),
      );
    return out;
  },
});
