import { checkResultSchema, type CheckResult } from '../check-result';
import type { KubeObject } from '../cluster-reader';
import { runStepCheck, type RunStepCheckOptions } from '../run-step-check';
import { emulateCurl, type DeadUpstream, type Upstream } from './curl-emulator';
import { startFakeBookinfo, type FakeBookinfo, type RouteTable } from './fake-bookinfo';
import { startFakeKubeApi, type FakeKubeApi } from './fake-kube-api';
import { startFakeJaeger, type FakeJaeger } from './fake-jaeger';
// L17: Grafana's dashboard API.
import { startFakeGrafana, type FakeGrafana } from './fake-grafana';
import { grafanaStoreOf } from './grafana-model';
import { startFakeKiali, type FakeKiali } from './fake-kiali';
import { startFakePrometheus, type FakePrometheus } from './fake-prometheus';

export interface CheckHarness {
  api: FakeKubeApi;
  bookinfo: FakeBookinfo;
  prometheus: FakePrometheus;
  jaeger: FakeJaeger;
  /** L17: Grafana's dashboards (the addon's provisioned ones from the harness objects, then what a run saves). */
  grafana: FakeGrafana;
  // L19: Kiali (istio-system/kiali:20001), answered from the mesh model by simulateMesh.
  kiali: FakeKiali;
  /** In-cluster hosts curl can reach from exec probes (`httpbin.intro:8000` → handler). */
  upstreams: Record<string, Upstream | DeadUpstream>;
  /** Runs a step check against the fakes. `ingress: true` passes the fake ingress URL as --ingress. */
  run(labId: string, stepId: string, options?: { ingress?: boolean } & Partial<RunStepCheckOptions>): Promise<CheckResult>;
  close(): Promise<void>;
}

const ingressHost = 'istio-ingressgateway.istio-system.svc.cluster.local:80';

/**
 * The fakes wired like a provisioned environment: the API server's service proxy reaches the
 * Bookinfo ingress, Prometheus and Jaeger, and `curl` exec'd in any pod (toolbox, intro/curl) is emulated
 * against the same servers. Polls are capped (300 ms, 20 ms interval) so failing cases stay fast.
 */
export interface CheckHarnessOptions {
  objects?: KubeObject[];
  routes?: RouteTable;
  /** Reject results whose failing assertions lack a hint or a next command (the checker conventions). */
  requireHints?: boolean;
}

export async function startCheckHarness(options: CheckHarnessOptions = {}): Promise<CheckHarness> {
  const api = await startFakeKubeApi({ objects: options.objects });
  const bookinfo = await startFakeBookinfo(options.routes);
  const prometheus = await startFakePrometheus();
  const jaeger = await startFakeJaeger();
  const grafana = await startFakeGrafana(grafanaStoreOf(options.objects ?? []));
  // L19
  const kiali = await startFakeKiali();
  const upstreams: Record<string, Upstream | DeadUpstream> = {
    [ingressHost]: (r) => bookinfo.handle(r),
    'istio-ingressgateway.istio-system': (r) => bookinfo.handle(r),
  };
  api.setProxyHandler('istio-system/services/istio-ingressgateway:80', (r) => bookinfo.handle({ ...r, headers: { ...r.headers, host: '10.244.0.9:8080' } }));
  api.setProxyHandler('istio-system/services/prometheus:9090', prometheus.url);
  api.setProxyHandler('istio-system/services/tracing:80', jaeger.url);
  api.setProxyHandler('istio-system/services/grafana:3000', grafana.url);
  // L19
  api.setProxyHandler('istio-system/services/kiali:20001', kiali.url);
  api.setExecHandler((call) => emulateCurl(call.command, upstreams));
  return {
    api,
    bookinfo,
    prometheus,
    jaeger,
    grafana,
    kiali,
    upstreams,
    async run(labId, stepId, runOptions = {}) {
      const { ingress, ...rest } = runOptions;
      const result = await runStepCheck({
        labId,
        stepId,
        kubeconfig: { kind: 'file', path: api.kubeconfigPath },
        ...(ingress ? { ingressUrl: bookinfo.url } : {}),
        timeoutMs: 15_000,
        limits: { maxPollTimeoutMs: 300, pollIntervalMs: 20 },
        ...rest,
      });
      const parsed = checkResultSchema.parse(result);
      if (options.requireHints) {
        const bare = parsed.assertions.filter((a) => a.status === 'fail' && (!a.hint || !a.next));
        if (bare.length) throw new Error(`${labId}/${stepId}: failing assertions without hint or next: ${bare.map((a) => a.code).join(', ')}`);
      }
      return parsed;
    },
    async close() {
      await Promise.all([api.close(), bookinfo.close(), prometheus.close(), jaeger.close(), grafana.close(), kiali.close()]);
    },
  };
}
