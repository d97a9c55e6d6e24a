// L17's checks against states built from the lab's own scripts (SolutionRunner: the solution's curl POST
// lands on the Grafana pod of the model), read back through the fake Grafana 12.0.1: every check passes
// on its solution and other valid forms, and fails (or warns) on each common mistake with its hint.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../cluster-reader';
import { baselineCluster } from '../../testing';
import { expectFailed, expectOnlyReads, expectPassed, failure, passed } from '../../testing/check-expectations';
import { withSavedDashboards } from '../../testing/grafana-model';
import { startMeshHarness, type MeshHarness } from '../../testing/mesh-harness';
import { SolutionRunner } from '../../testing/solution-runner';

const labDir = fileURLToPath(new URL('../../../../labs/l17-grafana-dashboards/', import.meta.url));
const runner = new SolutionRunner(baselineCluster());
runner.runScript(path.join(labDir, 'setup.sh'));
const start = runner.state();
const after: Record<string, KubeObject[]> = {};
for (const step of ['istio-dashboards', 'my-dashboard']) {
  runner.runScript(path.join(labDir, 'solutions', `${step}.sh`));
  after[step] = runner.state();
}

type Json = Record<string, unknown>;
const reviews5xx = 'sum(rate(istio_requests_total{destination_service_name="reviews",response_code=~"5.."}[1m]))';
const panel = (o: Json = {}): Json => ({ type: 'timeseries', title: 'reviews errors', targets: [{ refId: 'A', expr: reviews5xx }], ...o });
const board = (panels: Json[], o: Json = {}) => ({ dashboard: { title: 'My Bookinfo', panels, ...o }, overwrite: true });
const saved = (...bodies: unknown[]) => withSavedDashboards(start, bodies);
const warning = (r: { assertions: Array<{ code: string; status: string; hint?: string }> }, code: string) => r.assertions.find((a) => a.code === code && a.status === 'warn');

const withoutObject = (objects: KubeObject[], kind: string, name: string) => objects.filter((o) => !(o.kind === kind && o.metadata?.name === name));
const withConfigMapData = (objects: KubeObject[], name: string, edit: (data: Record<string, string>) => Record<string, string>) =>
  objects.map((o) => (o.kind === 'ConfigMap' && o.metadata?.name === name ? ({ ...o, data: edit({ ...(o as { data: Record<string, string> }).data }) } as KubeObject) : o));

describe('l17-grafana-dashboards', () => {
  let m: MeshHarness;
  beforeAll(async () => {
    m = await startMeshHarness('l17-grafana-dashboards', start);
  });
  afterAll(() => m.close());

  describe('istio-dashboards', () => {
    it('passes on the start (a check of the environment) and only reads', async () => {
      expectPassed(await m.run('istio-dashboards', start));
      expectOnlyReads(m.h);
      expectPassed(await m.run('istio-dashboards', after['istio-dashboards']!));
    });
    it('names the missing ConfigMap, the missing key, and a file Grafana did not load', async () => {
      const missingCm = failure(await m.run('istio-dashboards', withoutObject(start, 'ConfigMap', 'istio-services-grafana-dashboards')), 'L17.ISTIO_DASHBOARD');
      expect(missingCm.title).toBe('Grafana lists the dashboard "Istio Mesh Dashboard"');
      expect(missingCm.hint).toMatch(/ConfigMap istio-services-grafana-dashboards is missing from istio-system/);
      const noKey = withConfigMapData(start, 'istio-grafana-dashboards', ({ 'pilot-dashboard.json': _drop, ...rest }) => rest);
      const r = await m.run('istio-dashboards', noKey);
      expectFailed(r);
      expect(r.assertions.filter((a) => a.status === 'fail').map((a) => a.title)).toEqual(['Grafana lists the dashboard "Istio Control Plane Dashboard"']);
      expect(failure(r, 'L17.ISTIO_DASHBOARD').hint).toMatch(/has no key pilot-dashboard.json/);
      const broken = withConfigMapData(start, 'istio-grafana-dashboards', (d) => ({ ...d, 'istio-performance-dashboard.json': '{"title": "Istio Perf' }));
      expect(failure(await m.run('istio-dashboards', broken), 'L17.ISTIO_DASHBOARD').hint).toMatch(/rollout restart deploy\/grafana/);
    });
  });

  describe('my-dashboard', () => {
    it('fails on the start: nothing saved', async () => {
      const f = failure(await m.run('my-dashboard', after['istio-dashboards']!), 'L17.DASHBOARD_SAVED');
      expect(f.hint).toMatch(/exists only in your browser until you save it/);
    });
    it('passes on the solution, names the emptyDir and only reads', async () => {
      const r = await m.run('my-dashboard', after['my-dashboard']!);
      expectPassed(r);
      expectOnlyReads(m.h);
      expect(passed(r, 'L17.ERRORS_ONLY')).toBeDefined();
      expect(passed(r, 'L17.ENOUGH_SAMPLES')).toBeDefined();
      expect(warning(r, 'L17.STORAGE')?.hint).toMatch(/volume "storage", an emptyDir: when the pod restarts, "My Bookinfo" is gone/);
    });
    it('passes on other valid forms: a panel in a collapsed row, a regex on destination_app, a workload, an explicit Prometheus source, another case', async () => {
      const inRow = board([{ type: 'row', title: 'Bookinfo', collapsed: true, panels: [panel()] }]);
      expectPassed(await m.run('my-dashboard', saved(inRow)));
      const regex = board([panel({ targets: [{ expr: 'sum(rate(istio_requests_total{reporter="source",destination_app=~"reviews.*",response_code=~"5.*"}[$__rate_interval]))' }] })]);
      expectPassed(await m.run('my-dashboard', saved(regex)));
      const workload = board([panel({ datasource: { type: 'prometheus', uid: 'PBFA97CFB590B2093' }, targets: [{ expr: 'rate(istio_requests_total{destination_workload="reviews-v2",response_code!~"[1-4].."}[2m])' }] })]);
      const r = await m.run('my-dashboard', saved(workload));
      expectPassed(r);
      expect(passed(r, 'L17.ERRORS_ONLY')).toBeDefined();
      expectPassed(await m.run('my-dashboard', saved({ ...board([panel()]), dashboard: { title: 'my bookinfo', panels: [panel()] } })));
    });
    it('names a dashboard saved under another title', async () => {
      const f = failure(await m.run('my-dashboard', saved({ dashboard: { title: 'Bookinfo errors', panels: [panel()] } })), 'L17.DASHBOARD_SAVED');
      expect(f.hint).toMatch(/you saved "Bookinfo errors"/);
      const several = saved({ dashboard: { title: 'Scratch', panels: [] } }, { dashboard: { title: 'MyBookinfo v2', panels: [panel()] } }, { dashboard: { title: 'My Bookinfos', panels: [panel()] } });
      expect(failure(await m.run('my-dashboard', several), 'L17.DASHBOARD_SAVED').actual).toBe('saved dashboards: "My Bookinfos", "MyBookinfo v2", "Scratch"');
    });
    it('names a panel on another data source, an empty query, another metric, the source side and every service', async () => {
      const hint = async (p: Json) => failure(await m.run('my-dashboard', saved(board([p]))), 'L17.PANEL_QUERY').hint;
      expect(await hint(panel({ datasource: { type: 'loki', uid: 'P8E80F9AEF21F6940' } }))).toMatch(/reads from Loki, not from Prometheus/);
      expect(await hint(panel({ datasource: { type: 'datasource', uid: 'grafana' }, targets: [{ refId: 'A', queryType: 'randomWalk' }] }))).toMatch(/-- Grafana --" source \(random test data\), not from Prometheus/);
      expect(await hint(panel({ targets: [{ refId: 'A', expr: '' }] }))).toMatch(/its query is empty/);
      expect(await hint(panel({ targets: [{ expr: 'sum(rate(istio_request_duration_milliseconds_count{destination_service_name="reviews"}[1m]))' }] }))).toMatch(/The requests a sidecar counts are in istio_requests_total/);
      expect(await hint(panel({ targets: [{ expr: 'sum(rate(istio_requests_total{source_app="reviews",response_code=~"5.."}[1m]))' }] }))).toMatch(/filters on the source side \(`source_app="reviews"`\)/);
      expect(await hint(panel({ targets: [{ expr: 'sum(rate(istio_requests_total{response_code=~"5.."}[1m]))' }] }))).toMatch(/counts istio_requests_total for every service/);
      expect(await hint(panel({ targets: [{ expr: 'sum(rate(istio_requests_total{destination_service_name=~".+"}[1m]))' }] }))).toMatch(/for every service/);
      expect(await hint({ type: 'text', title: 'notes', options: { content: 'reviews' } })).toMatch(/has no panel with a query/);
    });
    it('warns when the panel counts every response, when the rate window or the time range is too short', async () => {
      const all = await m.run('my-dashboard', saved(board([panel({ targets: [{ expr: 'sum(rate(istio_requests_total{destination_service_name="reviews"}[1m]))' }] })])));
      expectPassed(all);
      expect(warning(all, 'L17.ERRORS_ONLY')?.hint).toMatch(/counts every response of reviews/);
      const window = await m.run('my-dashboard', saved(board([panel({ targets: [{ expr: reviews5xx.replace('[1m]', '[10s]') }] })])));
      expect(warning(window, 'L17.ENOUGH_SAMPLES')?.hint).toMatch(/rate\(\) over \[10s\], fewer than two scrapes/);
      const range = await m.run('my-dashboard', saved(board([panel()], { time: { from: 'now-1m', to: 'now' } })));
      expect(warning(range, 'L17.ENOUGH_SAMPLES')?.hint).toMatch(/shows only the last 1m/);
    });
    it('a restart of Grafana loses the dashboard (emptyDir); a PersistentVolumeClaim keeps the warning away', async () => {
      // What `kubectl -n istio-system rollout restart deploy/grafana` leaves: a new pod with an empty emptyDir.
      const restarted = new SolutionRunner(after['my-dashboard']!);
      const dir = mkdtempSync(path.join(tmpdir(), 'l17-'));
      writeFileSync(path.join(dir, 'restart.sh'), 'kubectl -n istio-system rollout restart deploy/grafana\n');
      restarted.runScript(path.join(dir, 'restart.sh'));
      rmSync(dir, { recursive: true, force: true });
      const fresh = restarted.state();
      expect(fresh.filter((o) => o.kind === 'Pod' && o.metadata?.labels?.['app'] === 'grafana').map((o) => o.metadata?.annotations ?? {})).toEqual([{}]);
      expectFailed(await m.run('my-dashboard', fresh));
      const pvc = after['my-dashboard']!.map((o) => {
        if (o.kind !== 'Deployment' || o.metadata?.name !== 'grafana') return o;
        const d = structuredClone(o) as KubeObject & { spec: { template: { spec: { volumes: Array<Record<string, unknown>> } } } };
        d.spec.template.spec.volumes = d.spec.template.spec.volumes.map((v) => (v['name'] === 'storage' ? { name: 'storage', persistentVolumeClaim: { claimName: 'grafana' } } : v));
        return d;
      });
      expect(passed(await m.run('my-dashboard', pvc), 'L17.STORAGE')?.actual).toMatch(/PersistentVolumeClaim grafana/);
    });
    it('cleanup.sh deletes "My Bookinfo" through the API and nothing else', () => {
      const r = new SolutionRunner(after['my-dashboard']!);
      r.runScript(path.join(labDir, 'solutions', 'my-dashboard.sh')); // overwrite: still one
      const other = withSavedDashboards(r.state(), [{ dashboard: { title: 'Keep me', panels: [] } }]);
      const c = new SolutionRunner(other);
      c.runScript(path.join(labDir, 'cleanup.sh'));
      const annotation = c.state().find((o) => o.kind === 'Pod' && o.metadata?.labels?.['app'] === 'grafana')?.metadata?.annotations ?? {};
      const titles = (JSON.parse(Object.values(annotation).find((v) => v.startsWith('[')) ?? '[]') as Array<{ title: string }>).map((d) => d.title);
      expect(titles).toEqual(['Keep me']);
    });
  });

  describe('the replay of Grafana writes', () => {
    const runScriptText = (objects: KubeObject[], text: string) => {
      const dir = mkdtempSync(path.join(tmpdir(), 'l17-'));
      try {
        writeFileSync(path.join(dir, 'script.sh'), text);
        const r = new SolutionRunner(objects);
        r.runScript(path.join(dir, 'script.sh'));
        return r.state();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    };
    it('follows curl -d with an inline body, and a DELETE by a literal uid', async () => {
      const body = JSON.stringify({ dashboard: { uid: 'mine', title: 'My Bookinfo', panels: [panel()] } });
      const state = runScriptText(start, `curl -sf -X POST http://grafana.istio-system:3000/api/dashboards/db -H 'Content-Type: application/json' -d '${body}'\n`);
      expectPassed(await m.run('my-dashboard', state));
      const gone = runScriptText(state, 'curl -sf -X DELETE http://grafana.istio-system:3000/api/dashboards/uid/mine\n');
      expectFailed(await m.run('my-dashboard', gone));
    });
    it('fails by name on a body that is not JSON and on a refused save under curl -f', () => {
      expect(() => runScriptText(start, "curl -sf -X POST http://grafana.istio-system:3000/api/dashboards/db -d '{title: My Bookinfo}'\n")).toThrow(/not JSON/);
      expect(() => runScriptText(start, `curl -sf -X POST http://grafana.istio-system:3000/api/dashboards/db -d '${JSON.stringify({ dashboard: { panels: [] } })}'\n`)).toThrow(/Grafana answered 400/);
    });
  });
});
