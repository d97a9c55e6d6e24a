// What the portal's dashboard proxy adds to a request, as the learner's browser meets it: the same
// JSON answer (Grafana's `/api/search?query=Istio` as Grafana 12.0.1 answers it, ~2.6 KB) and a
// 1 MB static asset fetched by the lab page, once through the portal (`/grafana/…`: learner cookie,
// the API server's service proxy of the learner's cluster, header and body mapping) and once
// straight from the stand-in addon (what a `kubectl port-forward` would give). The stand-in cluster
// is the checkers' fake Kubernetes API, which forwards its service-proxy path to the addon as the
// real API server does. Requests alternate between the two paths, in one run; prints p50/p95 of
// each, the added latency and the ratio.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeCluster } from '../support/fake-cluster';
import { startJourney } from '../support/journey';

const requests = Number(process.env.BENCH_PROXY_REQUESTS ?? 200);
const fixture = readFileSync(fileURLToPath(new URL('../../apps/portal/src/dashboards/fixtures/grafana-12.0.1/search-istio.json', import.meta.url)), 'utf8');
const asset = Buffer.alloc(1024 * 1024, 'a');

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** The stand-in Grafana: its search answer, a static asset, and a blank page the direct requests are made from. */
async function startAddon(): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const headers = { 'cache-control': 'no-store' };
    if (req.url?.startsWith('/api/search')) {
      res.writeHead(200, { ...headers, 'content-type': 'application/json' });
      res.end(fixture);
    } else if (req.url?.startsWith('/public/build/app.js')) {
      res.writeHead(200, { ...headers, 'content-type': 'text/javascript', 'content-length': asset.length });
      res.end(asset);
    } else if (req.url === '/') {
      res.writeHead(200, { ...headers, 'content-type': 'text/html' });
      res.end('<!doctype html><title>addon</title>');
    } else {
      res.writeHead(404, headers);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const addon = await startAddon();
const cluster = await startFakeCluster();
cluster.api.setProxyHandler('istio-system/services/grafana:3000', addon.url);
const journey = await startJourney({ CLUSTERS_PROVIDER: 'local', CLUSTERS_LOCAL_KUBECONFIG: cluster.kubeconfigPath });
try {
  const { page, lab } = journey;
  // A learner on a lab page: the cookie and the environment (with its cluster) the proxy needs.
  await lab.open('l17-grafana-dashboards');
  await lab.waitForPrompt();
  const warm = await page.evaluate(async () => (await fetch('/grafana/api/search?query=Istio')).status);
  if (warm !== 200) throw new Error(`the proxied search answered ${warm}, not 200`);
  const addonPage = await journey.context.newPage();
  await addonPage.goto(`${addon.url}/`);

  for (const [what, proxied, direct] of [
    ['search (2.6 KB JSON)', '/grafana/api/search?query=Istio', `${addon.url}/api/search?query=Istio`],
    ['asset (1 MB)', '/grafana/public/build/app.js', `${addon.url}/public/build/app.js`],
  ] as const) {
    // Each timed inside its page (the lab page's CSP keeps it from fetching the addon's origin, so the
    // direct requests come from a page of the addon's own); a string, as tsx would wrap a named
    // helper function in __name, which pages lack.
    const timeIn = async (where: typeof page, url: string): Promise<number> =>
      (await where.evaluate(`(async () => {
        const t0 = performance.now();
        const res = await fetch(${JSON.stringify(url)}, { cache: 'no-store' });
        await res.arrayBuffer();
        if (!res.ok) throw new Error(${JSON.stringify(url)} + ' answered ' + res.status);
        return performance.now() - t0;
      })()`)) as number;
    const times = { ours: [] as number[], plain: [] as number[] };
    for (let i = 0; i < requests; i++) {
      // Alternate which goes first, so neither always meets a warm path.
      if (i % 2 === 0) {
        times.ours.push(await timeIn(page, proxied));
        times.plain.push(await timeIn(addonPage, direct));
      } else {
        times.plain.push(await timeIn(addonPage, direct));
        times.ours.push(await timeIn(page, proxied));
      }
    }
    const ours = [...times.ours].sort((a, b) => a - b);
    const plain = [...times.plain].sort((a, b) => a - b);
    const o50 = percentile(ours, 50);
    const o95 = percentile(ours, 95);
    const p50 = percentile(plain, 50);
    const p95 = percentile(plain, 95);
    console.log(`dashboard proxy, ${what}, ${requests} requests each from the lab page in Chromium:`);
    console.log(`  through the portal (/grafana/…):  p50 ${o50.toFixed(1)} ms  p95 ${o95.toFixed(1)} ms`);
    console.log(`  straight from the addon:           p50 ${p50.toFixed(1)} ms  p95 ${p95.toFixed(1)} ms`);
    console.log(`  added by the proxy: p50 +${(o50 - p50).toFixed(1)} ms  p95 +${(o95 - p95).toFixed(1)} ms  (ratio ours/direct: p50 ${(o50 / p50).toFixed(2)}, p95 ${(o95 / p95).toFixed(2)})`);
  }
  console.log(`  (${cpus().length} cores, load average ${loadavg()[0]?.toFixed(1)}; ${path.basename(fileURLToPath(import.meta.url))})`);
} finally {
  await journey.close();
  await cluster.close();
  await addon.close();
}
