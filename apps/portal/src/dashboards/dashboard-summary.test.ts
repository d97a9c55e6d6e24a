import { describe, expect, it } from 'vitest';
import { fixture } from './fixture';
import { summarizeDashboard, type AddonReader } from './dashboard-summary';

/** An addon reader answering from the fixtures, by path (query strings ignored). */
function readerOf(answers: Record<string, unknown>): AddonReader & { asked: string[] } {
  const asked: string[] = [];
  const read = async (_addon: unknown, path: string) => {
    asked.push(path);
    const key = path.split('?')[0] ?? path;
    if (!(key in answers)) return { status: 404, body: '404 page not found' };
    const answer = answers[key];
    return { status: 200, body: typeof answer === 'string' ? answer : JSON.stringify(answer) };
  };
  return Object.assign(read, { asked });
}

describe('the summary line beside each dashboard', () => {
  it('Kiali: checks the running version, then reads the graph', async () => {
    const read = readerOf({ '/kiali/api/status': fixture('kiali-v2.26', 'status.json'), '/kiali/api/namespaces/graph': fixture('kiali-v2.26', 'graph-versioned-app.json'), '/kiali/api/clusters/health': fixture('kiali-v2.26', 'health-apps.json') });
    const summary = await summarizeDashboard('kiali', read);
    expect(summary.line).toBe('Kiali: 4 services, 11 edges, 2.00 req/s in, all healthy');
    expect(read.asked[0]).toBe('/kiali/api/status');
  });

  it('Grafana: embeds the Istio mesh dashboard by the UID it found', async () => {
    const read = readerOf({ '/api/health': fixture('grafana-12.0.1', 'health.json'), '/api/search': fixture('grafana-12.0.1', 'search-istio.json') });
    const summary = await summarizeDashboard('grafana', read);
    expect(summary.embedPath).toBe('/grafana/d/1a9a8ea49444aae205c7737573e894f9?kiosk');
  });

  it('Jaeger and Prometheus read their APIs', async () => {
    const jaeger = await summarizeDashboard('jaeger', readerOf({ '/jaeger/api/services': fixture('jaeger-2.14.0', 'services.json'), '/jaeger/api/traces': fixture('jaeger-2.14.0', 'traces-productpage.json') }));
    expect(jaeger.line).toBe('Jaeger: 5 services, 3 traces of productpage.default, 6–8 spans per trace');
    const prometheus = await summarizeDashboard('prometheus', readerOf({ '/api/v1/status/buildinfo': fixture('prometheus-v3.10.0', 'buildinfo.json'), '/api/v1/query': fixture('prometheus-v3.10.0', 'query-request-rate.json') }));
    expect(prometheus.line).toMatch(/^Prometheus: 7\.33 req\/s across 4 services/);
  });

  it('refuses to read an addon running a version the adapter does not know', async () => {
    const read = readerOf({ '/api/health': { version: '13.1.0', database: 'ok' }, '/api/search': [] });
    await expect(summarizeDashboard('grafana', read)).rejects.toThrow(/Grafana 13.1.0 is not a version this portal knows/);
  });

  it('says what an addon answered when it is not the API', async () => {
    await expect(summarizeDashboard('kiali', readerOf({}))).rejects.toThrow('Kiali answered HTTP 404 for /kiali/api/status: 404 page not found');
  });
});
