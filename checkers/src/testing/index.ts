/**
 * Test doubles for checks, exported as `@istio-workshop/checkers/testing`: a fake Kubernetes API
 * server that the real client-node talks to, fake Bookinfo ingress and Prometheus servers, a curl
 * emulator for exec probes, and builders of realistic cluster objects.
 */
export {
  startFakeKubeApi,
  type FakeKubeApi,
  type FakeKubeApiOptions,
  type ExecCall,
  type ExecAnswer,
  type ExecHandler,
  type ForbidRule,
  type LogSource,
  type ProxyAnswer,
  type ProxyHandler,
  type ProxyRequest,
  type RecordedRequest,
} from './fake-kube-api';
export { matchesLabelSelector, parseLabelSelector } from './label-selector';
export {
  startFakeBookinfo,
  httpbinHost,
  type FakeBookinfo,
  type FakeRequest,
  type FakeResponse,
  type RouteTable,
  type VirtualHost,
  type Weights,
} from './fake-bookinfo';
export { startFakeJaeger, bookinfoTrace, type FakeJaeger, type FakeSpan, type FakeTrace } from './fake-jaeger';
export { startFakeGrafana, type FakeGrafana } from './fake-grafana';
export { withSavedDashboards, type GrafanaStore, type StoredDashboard } from './grafana-model';
export { startFakeKiali, type FakeKiali, type KialiState } from './fake-kiali';
export { startFakePrometheus, type FakePrometheus, type FakeSample, type QueryHandler } from './fake-prometheus';
export { emulateCurl, type Upstream, type DeadUpstream } from './curl-emulator';
export * from './testdata/kube-builders';
export { baselineCluster, bookinfo, istioSystem, toolbox } from './testdata/baseline-cluster';

export { startCheckHarness, type CheckHarness, type CheckHarnessOptions } from './check-harness';
export { simulateMesh, resetMesh, type SimulateMeshOptions } from './mesh-simulator';
export { SolutionRunner } from './solution-runner';
