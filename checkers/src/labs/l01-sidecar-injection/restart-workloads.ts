import type { V1Pod } from '@kubernetes/client-node';
import { defineCheck, fail, hasIstioProxy, istioProxyContainer, isReady, isRunning, pass, warn, type Assertion } from '../../check-api';
import { injectionLabels, introNs } from './workloads';

const protocols = ['http', 'http2', 'https', 'grpc', 'grpc-web', 'tcp', 'tls', 'udp', 'mongo', 'mysql', 'redis'];

function optedOut(pod: V1Pod): boolean {
  return pod.metadata?.labels?.['sidecar.istio.io/inject'] === 'false';
}

/** Containers (app and pod level) that run as the proxy's own UID, which iptables exempts. */
function runsAs1337(pod: V1Pod): boolean {
  const podUid = pod.spec?.securityContext?.runAsUser;
  return (pod.spec?.containers ?? []).some((c) => c.name !== 'istio-proxy' && (c.securityContext?.runAsUser ?? podUid) === 1337);
}

/** Step 4: after a restart every pod in intro carries istio-proxy and is Ready. */
export const restartWorkloads = defineCheck({
  labId: 'l01-sidecar-injection',
  stepId: 'restart-workloads',
  kind: 'state',
  async run({ cluster }) {
    const [ns, pods, services] = await Promise.all([cluster.namespace(introNs), cluster.pods(introNs), cluster.services(introNs)]);
    const labels = injectionLabels(ns);
    if (labels.state !== 'enabled' && labels.state !== 'revision') {
      return [fail('L01.INJECTION_LABEL', `namespace ${introNs} is labelled for injection`, { expected: 'istio-injection=enabled', actual: ns ? 'not labelled (or wrong value)' : 'namespace missing', hint: 'Restarting only injects pods in a labelled namespace; finish the previous step first.', next: `kubectl label namespace ${introNs} istio-injection=enabled --overwrite` })];
    }
    const live = pods.filter((p) => isRunning(p) && !optedOut(p));
    if (live.length === 0) {
      return [fail('L01.PODS', `pods run in ${introNs}`, { expected: 'the httpbin and curl pods Running', actual: 'no Running pods', hint: 'Deploy httpbin and curl (step 2) and restart them.', next: `kubectl get pods -n ${introNs}` })];
    }
    const out: Assertion[] = [];
    const missing = live.filter((p) => !hasIstioProxy(p));
    if (missing.length) {
      out.push(
        fail('IST0103', `every pod in ${introNs} has an istio-proxy sidecar`, {
          expected: 'istio-proxy in each pod',
          actual: `no proxy in ${missing.map((p) => p.metadata?.name ?? '').join(', ')}`,
          hint: 'Existing pods are only injected when they are re-created; labelling the namespace does not touch running pods (IST0103 PodMissingProxy).',
          next: `kubectl rollout restart deploy -n ${introNs}`,
        }),
      );
    } else {
      const native = live.some((p) => istioProxyContainer(p)?.native);
      out.push(
        pass('L01.PROXY_INJECTED', `every pod in ${introNs} has an istio-proxy sidecar`, {
          actual: `${live.length} pod(s) injected`,
          ...(native ? { hint: 'istio-proxy is a native sidecar here: it is listed under spec.initContainers with restartPolicy: Always, not under spec.containers (kubectl get pod still shows 2/2).' } : {}),
        }),
      );
    }
    const notReady = live.filter((p) => hasIstioProxy(p) && !isReady(p));
    if (notReady.length) {
      out.push(fail('L01.PODS_READY', 'injected pods are Ready', { expected: 'all containers Ready', actual: `not ready: ${notReady.map((p) => p.metadata?.name ?? '').join(', ')}`, hint: 'The new pods are still starting (the proxy waits for its config from istiod). Wait a few seconds; if it stays, read the pod events.', next: `kubectl -n ${introNs} get pods` }));
    } else if (!missing.length) {
      out.push(pass('L01.PODS_READY', 'injected pods are Ready'));
    }
    const uid = live.filter(runsAs1337);
    if (uid.length) {
      out.push(fail('IST0144', 'no application container runs as UID 1337', { expected: 'app UID other than 1337', actual: uid.map((p) => p.metadata?.name ?? '').join(', '), hint: 'UID 1337 is reserved for istio-proxy: traffic from a process with that UID bypasses the sidecar (IST0144 InvalidApplicationUID). Pick another runAsUser.', next: `kubectl -n ${introNs} get pods -o yaml | grep -n runAsUser` }));
    }
    for (const svc of services) {
      for (const port of svc.spec?.ports ?? []) {
        const name = port.name ?? '';
        const proto = name.split('-')[0] ?? '';
        if (!port.appProtocol && !protocols.includes(proto)) {
          out.push(warn('IST0118', `Service ${introNs}/${svc.metadata?.name ?? ''} port ${port.port} names its protocol`, { expected: 'port name <protocol>[-suffix], e.g. http or http-web', actual: name ? `"${name}"` : 'unnamed', hint: 'Istio guesses the protocol when the port name does not say it (IST0118); name it http-… or set appProtocol.', path: `Service ${introNs}/${svc.metadata?.name ?? ''} .spec.ports` }));
        }
      }
    }
    return out;
  },
});
