import { describe, expect, it } from 'vitest';
import { dashboardAddons } from './dashboard-addons';
import { fixture } from './fixture';
import { kialiAdapterFor } from './kiali-adapter';

const kiali = kialiAdapterFor(dashboardAddons.kiali.version);

describe('the Kiali adapter (v2.26)', () => {
  it('summarises the Bookinfo graph: services, edges, inbound rate, health', () => {
    const summary = kiali.parseGraph(fixture('kiali-v2.26', 'graph-versioned-app.json'), 'default');
    expect(summary.services).toEqual(['details', 'productpage', 'ratings', 'reviews']);
    expect(summary.workloads).toEqual(['details v1', 'productpage v1', 'ratings v1', 'reviews v1', 'reviews v2', 'reviews v3']);
    expect(summary.edges).toHaveLength(11);
    expect(summary.edges).toContainEqual({ source: 'reviews', target: 'reviews v3', rps: 0.67, errorPercent: 0 });
    expect(summary.inboundRps).toBe(2);
    expect(kiali.line(summary)).toBe('Kiali: 4 services, 11 edges, 2.00 req/s in, all healthy');
  });

  it('names the edges that fail', () => {
    const summary = kiali.parseGraph(fixture('kiali-v2.26', 'graph-ratings-errors.json'), 'default');
    expect(summary.failing).toEqual(['ratings → ratings v1']);
    expect(kiali.line(summary)).toBe('Kiali: 4 services, 11 edges, 2.00 req/s in, errors on ratings → ratings v1');
  });

  it("judges each app's health as Kiali does by default", () => {
    const healthy = kiali.parseHealth(fixture('kiali-v2.26', 'health-apps.json'), 'default');
    expect(healthy.map((h) => [h.app, h.status])).toEqual([
      ['details', 'healthy'],
      ['productpage', 'healthy'],
      ['ratings', 'healthy'],
      ['reviews', 'healthy'],
    ]);
    const down = kiali.parseHealth(fixture('kiali-v2.26', 'health-apps-ratings-down.json'), 'default');
    expect(down.find((h) => h.app === 'ratings')).toEqual({ app: 'ratings', status: 'failure', reasons: ['no ratings-v1 pod available', '5xx 100.0 % of inbound'] });
    expect(down.find((h) => h.app === 'reviews')).toEqual({ app: 'reviews', status: 'failure', reasons: ['no reviews-v3 pod available'] });
    const graph = kiali.parseGraph(fixture('kiali-v2.26', 'graph-ratings-errors.json'), 'default');
    expect(kiali.line(graph, down)).toBe(
      'Kiali: 4 services, 11 edges, 2.00 req/s in, ratings failing (no ratings-v1 pod available, 5xx 100.0 % of inbound); reviews failing (no reviews-v3 pod available); errors on ratings → ratings v1',
    );
    expect(kiali.healthPath('default')).toBe('/kiali/api/clusters/health?namespaces=default&type=app&rateInterval=60s');
  });

  it('asks for the versioned-app graph of one namespace', () => {
    expect(kiali.graphPath('default')).toBe('/kiali/api/namespaces/graph?namespaces=default&graphType=versionedApp&duration=60s&injectServiceNodes=true&boxBy=app&appenders=deadNode');
  });

  it('reads the running version and refuses one it does not know', () => {
    expect(kiali.parseStatus(fixture('kiali-v2.26', 'status.json'))).toBe('v2.26.0');
    expect(() => kiali.parseStatus({ status: { 'Kiali version': 'v2.30.0' } })).toThrow(/Kiali v2.30.0 is not a version this portal knows \(it reads v2.26\)/);
    expect(() => kialiAdapterFor('v1.89')).toThrow(/Kiali v1.89 is not a version this portal knows/);
  });

  it('refuses an answer of another shape', () => {
    expect(() => kiali.parseGraph({ nodes: [] }, 'default')).toThrow();
  });
});
