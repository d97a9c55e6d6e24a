// The fake Grafana answers in Grafana 12.0.1's shapes: search hits with the keys of the portal's recorded
// 12.0.1 fixture, {meta, dashboard} by uid, POST /api/dashboards/db with name-exists and overwrite, and
// the addon's provisioned dashboards that cannot be deleted.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGrafana, type FakeGrafana } from './fake-grafana';
import { grafanaStoreOf } from './grafana-model';
import { baselineCluster } from './testdata/baseline-cluster';

const fixture = JSON.parse(readFileSync(new URL('../../../apps/portal/src/dashboards/fixtures/grafana-12.0.1/search-istio.json', import.meta.url), 'utf8')) as Array<Record<string, unknown>>;

describe('fake Grafana 12.0.1', () => {
  let g: FakeGrafana;
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${g.url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> & Array<Record<string, unknown>> };
  };
  beforeAll(async () => {
    g = await startFakeGrafana(grafanaStoreOf(baselineCluster()));
  });
  afterAll(() => g.close());

  it('lists the addon dashboards of Istio 1.30 in folder istio, with the hit keys of the recorded fixture', async () => {
    const { status, body } = await call('GET', '/api/search?query=Istio&type=dash-db');
    expect(status).toBe(200);
    expect(body.map((h) => h['title'])).toEqual([
      'Istio Control Plane Dashboard',
      'Istio Mesh Dashboard',
      'Istio Performance Dashboard',
      'Istio Service Dashboard',
      'Istio Wasm Extension Dashboard',
      'Istio Workload Dashboard',
      'Istio Ztunnel Dashboard',
    ]);
    for (const hit of body) expect(Object.keys(hit).sort()).toEqual(Object.keys(fixture[0]!).sort());
    expect(body.find((h) => h['title'] === 'Istio Mesh Dashboard')).toMatchObject({ uid: '1a9a8ea49444aae205c7737573e894f9', url: '/grafana/d/1a9a8ea49444aae205c7737573e894f9/istio-mesh-dashboard', folderTitle: 'istio', type: 'dash-db' });
    // Without a type, the folder matches the query too.
    expect((await call('GET', '/api/search?query=istio')).body[0]).toMatchObject({ type: 'dash-folder', title: 'istio' });
  });

  it('saves, reads back by uid, refuses a second dashboard of the same name unless overwrite, and deletes', async () => {
    const dashboard = { title: 'My Bookinfo', panels: [{ type: 'timeseries', title: 'p', targets: [{ refId: 'A', expr: 'up' }] }] };
    const saved = await call('POST', '/api/dashboards/db', { dashboard });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ status: 'success', version: 1, slug: 'my-bookinfo' });
    const uid = String(saved.body['uid']);
    expect(uid).toMatch(/^[a-z0-9]{14}$/);
    expect(saved.body['url']).toBe(`/grafana/d/${uid}/my-bookinfo`);
    const read = await call('GET', `/api/dashboards/uid/${uid}`);
    expect(read.body['meta']).toMatchObject({ type: 'db', slug: 'my-bookinfo', provisioned: false, version: 1 });
    expect(read.body['dashboard']).toMatchObject({ uid, title: 'My Bookinfo', version: 1, panels: dashboard.panels });
    expect((await call('POST', '/api/dashboards/db', { dashboard })).body).toMatchObject({ status: 'name-exists' });
    const again = await call('POST', '/api/dashboards/db', { dashboard, overwrite: true });
    expect(again.body).toMatchObject({ uid, version: 2 });
    expect((await call('POST', '/api/dashboards/db', { dashboard: { panels: [] } })).status).toBe(400);
    expect((await call('DELETE', `/api/dashboards/uid/${uid}`)).body).toMatchObject({ title: 'My Bookinfo', message: 'Dashboard My Bookinfo deleted' });
    expect((await call('GET', `/api/dashboards/uid/${uid}`)).status).toBe(404);
  });

  it('refuses to delete a provisioned dashboard and answers /api/health with the pinned version', async () => {
    expect((await call('DELETE', '/api/dashboards/uid/1a9a8ea49444aae205c7737573e894f9')).status).toBe(400);
    expect((await call('GET', '/api/health')).body).toMatchObject({ database: 'ok', version: '12.0.1' });
  });
});
