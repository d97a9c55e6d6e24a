import type { V1Pod } from '@kubernetes/client-node';
import {
  defineCheck,
  finding,
  hasIstioProxy,
  istioProxyContainer,
  namespaceInjection,
  podOptOut,
  workloadReadiness,
  type Assertion,
} from '../../check-api';
import { introNs, readNamespace } from './workloads';

const protocols = ['http', 'http2', 'https', 'grpc', 'grpc-web', 'tcp', 'tls', 'udp', 'mongo', 'mysql', 'redis'];

/** Containers (app and pod level) that run as the proxy's own UID, which iptables exempts. */
function runsAs1337(pod: V1Pod): boolean {
  const podUid = pod.spec?.securityContext?.runAsUser;
  return (pod.spec?.containers ?? []).some(
    (c) => c.name !== 'istio-proxy' && (c.securityContext?.runAsUser ?? podUid) === 1337,
  );
}

/** Step 4: after a restart every workload in intro (opt-outs aside) has Running, Ready pods with istio-proxy. */
export const restartWorkloads = defineCheck({
  labId: 'l01-sidecar-injection',
  stepId: 'restart-workloads',
  kind: 'state',
  async run({ cluster }) {
    const [{ namespace, deployments, pods }, services] = await Promise.all([
      readNamespace(cluster, introNs),
      cluster.services(introNs),
    ]);
    const params = { namespace: introNs };
    const labels = namespaceInjection(namespace);
    if (labels.state !== 'enabled' && labels.state !== 'revision') {
      return [
        finding('L01.INJECTION_LABEL', params).fail({
          expected: 'istio-injection=enabled',
          actual: namespace ? 'not labelled (or wrong value)' : 'namespace missing',
          next: `kubectl label namespace ${introNs} istio-injection=enabled --overwrite`,
          hint: 'first',
        }),
      ];
    }
    const meshed = deployments.filter((d) => !podOptOut(d.spec?.template?.metadata).optedOut);
    const states = meshed.map((d) => workloadReadiness(d, pods, hasIstioProxy));
    const current = states.flatMap((s) => s.good);
    const byName = new Map(pods.map((p) => [p.metadata?.name ?? '', p]));
    const bare = states.flatMap((s) => s.problems.filter((p) => p.why === 'wrong-shape').map((p) => p.pod));
    const starting = states.filter((s) => s.problems.some((p) => p.why !== 'wrong-shape'));
    if (current.length + bare.length === 0 && starting.length === 0) {
      return [
        finding('L01.PODS', params).fail({
          expected: 'the httpbin and curl pods Running',
          actual: 'no pods',
          next: `kubectl get pods -n ${introNs}`,
        }),
      ];
    }
    const out: Assertion[] = [];
    if (bare.length) {
      out.push(
        finding('IST0103', params).fail({
          expected: 'istio-proxy in each pod',
          actual: `no proxy in ${bare.join(', ')}`,
          next: `kubectl rollout restart deploy -n ${introNs}`,
        }),
      );
    } else {
      const native = current.some((p) => istioProxyContainer(p)?.native);
      out.push(
        finding('L01.PROXY_INJECTED', params).pass({
          actual: `${current.length} pod(s) injected`,
          ...(native ? { note: true as const } : {}),
        }),
      );
    }
    const ready = finding('L01.PODS_READY', { detail: starting.map((s) => s.detail).join('; ') });
    if (starting.length)
      out.push(
        ready.fail({
          expected: 'every pod Running and Ready',
          actual: starting.map((s) => s.detail).join('; '),
          next: `kubectl -n ${introNs} get pods`,
        }),
      );
    else if (!bare.length) out.push(ready.pass());
    const uid = [...current, ...bare.map((n) => byName.get(n)).filter((p): p is V1Pod => p !== undefined)].filter(
      runsAs1337,
    );
    if (uid.length)
      out.push(
        finding('IST0144').fail({
          expected: 'app UID other than 1337',
          actual: uid.map((p) => p.metadata?.name ?? '').join(', '),
          next: `kubectl -n ${introNs} get pods -o yaml | grep -n runAsUser`,
        }),
      );
    for (const svc of services) {
      for (const port of svc.spec?.ports ?? []) {
        const name = port.name ?? '';
        if (port.appProtocol || protocols.includes(name.split('-')[0] ?? '')) continue;
        const ref = `${introNs}/${svc.metadata?.name ?? ''}`;
        out.push(
          finding('IST0118', { service: ref, port: port.port }).warn({
            expected: 'port name <protocol>[-suffix], e.g. http or http-web',
            actual: name ? `"${name}"` : 'unnamed',
            path: `Service ${ref} .spec.ports`,
          }),
        );
      }
    }
    return out;
  },
});
