// The addon UIs beside the terminal: a learner opens the Kiali tab and sees their cluster's Kiali
// (here a stand-in answering through the fake API server's service proxy, as the real API server
// does) in an iframe served by the portal, with the adapter's summary line above it; back on the
// Terminal tab the shell is the same one. The proxy's refusals are checked against the real portal.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProxyAnswer } from '@istio-workshop/checkers/testing';
import { startFakeCluster, type FakeCluster } from '../support/fake-cluster';
import { startJourney, type Journey } from '../support/journey';

const fixtures = fileURLToPath(new URL('../../apps/portal/src/dashboards/fixtures/', import.meta.url));
const fixture = (name: string) => readFileSync(path.join(fixtures, name), 'utf8');
const kialiProxy = '/api/v1/namespaces/istio-system/services/kiali:20001/proxy';
/** The stand-in's script: says it ran, and has a wizard button that writes as Kiali's UI does (a same-origin JSON PATCH). */
const kialiScript = `
document.body.insertAdjacentHTML('beforeend', '<p id="script-ran">Kiali app script ran</p><button id="wizard">Apply 80/20</button><p id="wizard-result"></p>');
document.getElementById('wizard').onclick = async () => {
  const r = await fetch('api/namespaces/default/istio/networking.istio.io/v1/VirtualService/reviews', { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ metadata: { labels: { kiali_wizard: 'traffic_shifting' } } }) });
  document.getElementById('wizard-result').textContent = 'wizard ' + r.status;
};`;

let cluster: FakeCluster;
let journey: Journey;
/** Writes the stand-in Kiali received (its wizard's PATCH), as method, path and body. */
const kialiWrites: string[][] = [];

beforeAll(async () => {
  cluster = await startFakeCluster();
  cluster.api.setProxyHandler('istio-system/services/kiali:20001', (request): ProxyAnswer => {
    const json = (body: string): ProxyAnswer => ({ status: 200, headers: { 'content-type': 'application/json' }, body });
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      kialiWrites.push([request.method, request.path, request.body]);
      return json('{"applied":true}');
    }
    if (request.path.startsWith('/kiali/api/status')) return json(fixture('kiali-v2.26/status.json'));
    if (request.path.startsWith('/kiali/api/namespaces/graph')) return json(fixture('kiali-v2.26/graph-versioned-app.json'));
    if (request.path.startsWith('/kiali/api/clusters/health')) return json(fixture('kiali-v2.26/health-apps.json'));
    if (request.path === '/kiali/static/app.js')
      return { status: 200, headers: { 'content-type': 'text/javascript' }, body: kialiScript };
    // Links as the API server hands them back: rewritten to go through its proxy.
    return {
      status: 200,
      headers: { 'content-type': 'text/html; charset=utf-8', 'set-cookie': 'kiali-token=stolen; Path=/' },
      body: `<!doctype html><html><head><title>Kiali</title><base href="${kialiProxy}/kiali/"><script defer src="${kialiProxy}/kiali/static/app.js"></script></head><body style="font-family:sans-serif"><h1 data-test="fake-kiali">Kiali console (stand-in)</h1><p>${request.path}</p></body></html>`,
    };
  });
  // Jaeger's UI as a stand-in page that shows which view it was opened at.
  cluster.api.setProxyHandler('istio-system/services/tracing:80', (request): ProxyAnswer => ({
    status: 200,
    headers: { 'content-type': 'text/html; charset=utf-8' },
    body: `<!doctype html><html><head><title>Jaeger</title></head><body><h1 data-test="fake-jaeger">Jaeger UI (stand-in)</h1><p id="view">${request.path}</p></body></html>`,
  }));
  journey = await startJourney({ CLUSTERS_PROVIDER: 'local', CLUSTERS_LOCAL_KUBECONFIG: cluster.kubeconfigPath });
});

afterAll(async () => {
  await journey?.close();
  await cluster?.close();
});

describe('dashboards beside the terminal', () => {
  it('L18: a lesson link opens the Jaeger tab at its view, Kiali shows with its summary, and the shell is still there afterwards', async () => {
    const { page, lab, platform } = journey;
    await lab.open('l18-tracing-jaeger');
    await lab.waitForPrompt();
    await lab.type('export DASH_MARK=alive-$((6*7)); echo marked\r');
    await lab.waitForText('marked');

    // The lesson's link into Jaeger opens the Jaeger tab beside the terminal at that search; the lab page stays.
    await page.locator('[data-test="lesson-link"]', { hasText: "search Jaeger for productpage's traces" }).click();
    await page.locator('[data-test="dash-tab-jaeger"][aria-selected="true"]').waitFor();
    expect(page.url()).toMatch(/\/labs\/l18-tracing-jaeger$/);
    expect(await page.locator('[data-test="dash-frame-jaeger"]').getAttribute('src')).toBe('/jaeger/search?service=productpage.default&lookback=15m');
    await page.frameLocator('[data-test="dash-frame-jaeger"]').locator('#view', { hasText: '/jaeger/search' }).waitFor();

    await page.locator('[data-test="dash-tab-kiali"]').click();
    const panel = page.locator('[data-test="dash-panel-kiali"]');
    await panel.locator('[data-test="dash-summary"][data-state="ok"]').waitFor({ timeout: 30_000 });
    expect(await panel.locator('[data-test="dash-summary"]').textContent()).toBe('Kiali: 4 services, 11 edges, 2.00 req/s in, all healthy');
    const frame = page.frameLocator('[data-test="dash-frame-kiali"]');
    await frame.locator('[data-test="fake-kiali"]').waitFor();
    // The addon's own script ran under the dashboard CSP, loaded from the portal's /kiali/ mount.
    await frame.locator('#script-ran').waitFor();
    // Kiali's wizard writes through the portal: the owner's same-origin PATCH reaches their Kiali.
    await frame.locator('#wizard').click();
    await frame.locator('#wizard-result', { hasText: 'wizard 200' }).waitFor();
    expect(kialiWrites).toEqual([['PATCH', '/kiali/api/namespaces/default/istio/networking.istio.io/v1/VirtualService/reviews', '{"metadata":{"labels":{"kiali_wizard":"traffic_shifting"}}}']]);
    expect(await frame.locator('p').first().textContent()).toBe('/kiali/console/graph/namespaces/?namespaces=default&graphType=versionedApp');
    expect(await page.locator('[data-test="pane-terminal"] .xterm').isVisible()).toBe(false);
    await page.screenshot({ path: path.join(platform.dataDir, '..', 'workshop-dashboards.png') }).catch(() => undefined);
    // The addon set no cookie on the portal.
    expect((await journey.context.cookies()).map((c) => c.name)).not.toContain('kiali-token');

    await page.locator('[data-test="dash-tab-terminal"]').click();
    await lab.type('echo "mark=$DASH_MARK"\r');
    await lab.waitForText('mark=alive-42');
    await page.screenshot({ path: path.join(platform.dataDir, '..', 'workshop-dashboards-terminal.png') }).catch(() => undefined);
  });

  it('refuses what the proxy must refuse', async () => {
    const { page, platform } = journey;
    const base = platform.portalUrl;
    // No learner cookie: 403 (plain fetch carries none).
    expect((await fetch(`${base}/kiali/`)).status).toBe(403);
    expect((await page.request.post(`${base}/jaeger/api/x`, { headers: { origin: base, 'content-type': 'application/json' }, data: {} })).status()).toBe(405);
    // A write from another origin never reaches the learner's Kiali.
    expect((await page.request.post(`${base}/kiali/api/x`, { headers: { origin: 'http://evil.test', 'content-type': 'application/json' }, data: {} })).status()).toBe(403);
    expect(kialiWrites.map(([, p]) => p)).not.toContain('/kiali/api/x');
    expect((await page.request.get(`${base}/kiali/..%2f..%2f..%2fsecrets`)).status()).toBe(400);
    expect((await page.request.get(`${base}/api/dashboards/kube-dns/summary`)).status()).toBe(404);
    const prometheus = await page.request.get(`${base}/prometheus/api/v1/query?query=up`);
    expect(prometheus.status()).toBe(502);
    expect(((await prometheus.json()) as { error: { message: string } }).error.message).toBe('Prometheus is not answering in your cluster: no endpoints available for service "prometheus"');
    const bare = await page.request.get(`${base}/kiali`, { maxRedirects: 0 });
    expect(bare.status()).toBe(308);
    expect(bare.headers()['location']).toBe('/kiali/');
    expect((await page.request.get(`${base}/labs/x`)).headers()['content-security-policy']).toContain("frame-src 'self'");
  });
});
