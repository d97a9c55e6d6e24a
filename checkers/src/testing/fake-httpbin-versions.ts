/**
 * Test double for L09 (imported by tests only): httpbin-v1 and httpbin-v2 behind httpbin.intro:8000 as
 * the curl pod's sidecar reaches them. Each call is logged by the version that answers it and, when a
 * mirror is on, by the mirror target too (whose answer is dropped); v2's sidecar counts its requests for
 * Prometheus. Tests say which behaviour the cluster state amounts to.
 */
import type { KubeObject } from '../cluster-reader';
import { startCheckHarness, type CheckHarness } from './check-harness';
import type { FakeRequest, FakeResponse } from './fake-bookinfo';
import { baselineCluster } from './testdata/baseline-cluster';
import { introApps, nameOf } from './testdata/lab-fixtures';

type Version = 'v1' | 'v2';

export interface HttpbinBehaviour {
  /** Who answers clients: one subset, both in turn (no VS: kube-proxy round robin), or Envoy's 503 (subset selects no pod). */
  route: Version | 'spread' | 'no-healthy-upstream';
  /** Where a copy of each call goes; absent = no mirroring (or a mirror that never took effect). */
  mirror?: Version;
  /** Prometheus still shows the old count (scrape lag). */
  promLag?: boolean;
}

/** A go-httpbin v2.15 access log line (slog text format). */
function logLine(r: FakeRequest): string {
  const time = new Date().toISOString();
  return `time=${time} level=INFO msg="200 ${r.method} ${r.path} 0.2ms" status=200 method=${r.method} uri=${r.path} size_bytes=402 duration_ms=0.21 user_agent=${r.headers['user-agent'] ?? ''} client_ip=127.0.0.6`;
}

export interface FakeHttpbinVersions {
  set(behaviour: HttpbinBehaviour): void;
  lines: Record<Version, string[]>;
}

export function fakeHttpbinVersions(h: CheckHarness, objects: KubeObject[]): FakeHttpbinVersions {
  let behaviour: HttpbinBehaviour = { route: 'spread' };
  let turn = 0;
  const lines: Record<Version, string[]> = { v1: [], v2: [] };
  // v2's istio_requests_total (reporter=destination) before the test started.
  const v2Base = 37;
  const answer = (version: Version, r: FakeRequest): FakeResponse => {
    lines[version].push(logLine(r));
    return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ method: r.method, url: `http://httpbin.intro:8000${r.path}` }) };
  };
  h.upstreams['httpbin.intro:8000'] = (r) => {
    if (behaviour.route === 'no-healthy-upstream') return { status: 503, headers: { 'content-type': 'text/plain' }, body: 'no healthy upstream' };
    const version: Version = behaviour.route === 'spread' ? (turn++ % 2 === 0 ? 'v1' : 'v2') : behaviour.route;
    if (behaviour.mirror) lines[behaviour.mirror].push(logLine(r));
    return answer(version, r);
  };
  for (const v of ['v1', 'v2'] as const) h.api.setLogs('intro', nameOf(objects, 'Pod', 'intro', `httpbin-${v}`), 'httpbin', () => lines[v].join('\n'));
  let promV2 = v2Base;
  h.prometheus.setHandler((q) => {
    if (!q.includes('destination_workload="httpbin-v2"')) return [];
    if (!behaviour.promLag) promV2 = v2Base + lines.v2.length;
    return [{ metric: {}, value: promV2 }];
  });
  return {
    set(next) {
      behaviour = next;
      turn = 0;
    },
    lines,
  };
}

/** What labs/l09-mirroring/setup.sh leaves: httpbin-v1 and -v2 behind one Service, no VS, no DR. */
export const l09Start = (): KubeObject[] => [...baselineCluster(), ...introApps({ httpbinVersions: ['v1', 'v2'] })];

/** A harness on the L09 start whose httpbin versions answer as `run`'s behaviour says; `run` checks one step. */
export async function startHttpbinVersionsHarness(stepId: string) {
  const start = l09Start();
  const h = await startCheckHarness({ objects: start });
  const httpbin = fakeHttpbinVersions(h, start);
  const run = (objects: KubeObject[], behaviour: HttpbinBehaviour) => {
    h.api.set(objects);
    httpbin.set(behaviour);
    return h.run('l09-mirroring', stepId);
  };
  return { h, httpbin, run, close: () => h.close() };
}
