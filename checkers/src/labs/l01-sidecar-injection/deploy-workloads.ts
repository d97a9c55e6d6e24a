import { defineCheck, finding, hasIstioProxy, workloadReadiness, type Assertion } from '../../check-api';
import { findDeployment, introNs, readNamespace } from './workloads';

/** Step 2: httpbin and curl run in ns intro (every pod Running and Ready), still without sidecars. */
export const deployWorkloads = defineCheck({
  labId: 'l01-sidecar-injection',
  stepId: 'deploy-workloads',
  kind: 'state',
  async run({ cluster }) {
    const { namespace, deployments, pods } = await readNamespace(cluster, introNs);
    const ns = finding('L01.NS_INTRO');
    if (!namespace)
      return [
        ns.fail({ expected: `namespace ${introNs}`, actual: 'not found', next: `kubectl create namespace ${introNs}` }),
      ];
    const out: Assertion[] = [ns.pass()];
    for (const app of ['httpbin', 'curl']) {
      const deploy = finding('L01.DEPLOY', { app });
      const d = findDeployment(deployments, app);
      if (!d) {
        out.push(
          deploy.fail({
            expected: `a Deployment running ${app} in ${introNs}`,
            actual: 'none',
            next: `kubectl get deploy -n ${introNs}`,
          }),
        );
        continue;
      }
      const w = workloadReadiness(d, pods);
      if (!w.ready) {
        out.push(
          deploy.fail({
            expected: 'every pod Running and Ready',
            actual: w.detail,
            next: `kubectl -n ${introNs} describe deploy ${d.metadata?.name ?? app}`,
            hint: 'notReady',
          }),
        );
        continue;
      }
      out.push(deploy.pass({ actual: w.detail }));
      const injected = w.good.filter(hasIstioProxy);
      // Not wrong, only ahead of the lesson: the namespace was labelled before deploying.
      if (injected.length)
        out.push(
          finding('L01.ALREADY_INJECTED', { app }).warn({
            expected: 'no istio-proxy yet',
            actual: `${injected.length} pod(s) already have istio-proxy`,
          }),
        );
      else out.push(finding('L01.NO_PROXY', { app }).pass());
    }
    return out;
  },
});
