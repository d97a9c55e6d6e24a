import { defineCheck, fail, hasIstioProxy, pass, warn, type Assertion } from '../../check-api';
import { findDeployment, introNs, isAvailable, podsOf, readIntro } from './workloads';

/** Step 2: httpbin and curl run in ns intro, still without sidecars. */
export const deployWorkloads = defineCheck({
  labId: 'l01-sidecar-injection',
  stepId: 'deploy-workloads',
  kind: 'state',
  async run({ cluster }) {
    const { ns, deployments, pods } = await readIntro(cluster);
    if (!ns) {
      return [
        fail('L01.NS_INTRO', `namespace ${introNs} exists`, {
          expected: `namespace ${introNs}`,
          actual: 'not found',
          hint: 'Create the namespace first; the lab keeps its workloads apart from Bookinfo.',
          next: `kubectl create namespace ${introNs}`,
        }),
      ];
    }
    const out: Assertion[] = [pass('L01.NS_INTRO', `namespace ${introNs} exists`)];
    for (const app of ['httpbin', 'curl']) {
      const d = findDeployment(deployments, app);
      const title = `Deployment ${introNs}/${app} is Available`;
      if (!d) {
        out.push(fail(`L01.DEPLOY_${app.toUpperCase()}`, title, { expected: `a Deployment running ${app} in ${introNs}`, actual: 'none', hint: `Deploy ${app} into ${introNs} as the lesson shows.`, next: `kubectl get deploy -n ${introNs}` }));
        continue;
      }
      if (!isAvailable(d)) {
        out.push(fail(`L01.DEPLOY_${app.toUpperCase()}`, title, { expected: 'Available', actual: `${d.status?.availableReplicas ?? 0}/${d.spec?.replicas ?? 1} replicas available`, hint: 'The Deployment exists but its pods are not ready yet; wait a few seconds or look at the pod events.', next: `kubectl -n ${introNs} describe deploy ${d.metadata?.name ?? app}` }));
        continue;
      }
      out.push(pass(`L01.DEPLOY_${app.toUpperCase()}`, title));
      const injected = podsOf(d, pods).filter(hasIstioProxy);
      if (injected.length) {
        // Not wrong, only ahead of the lesson: the namespace was labelled before deploying.
        out.push(warn(`L01.ALREADY_INJECTED_${app.toUpperCase()}`, `${app} pods start without a sidecar`, { expected: 'no istio-proxy yet', actual: `${injected.length} pod(s) already have istio-proxy`, hint: 'These pods were injected already (the namespace was labelled first). That is fine; the next steps will simply pass.' }));
      } else {
        out.push(pass(`L01.NO_PROXY_${app.toUpperCase()}`, `${app} pods run without a sidecar (namespace not labelled yet)`));
      }
    }
    return out;
  },
});
