import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { graphPath, parseGraph, parseValidations, validationsPath } from './kiali-api';

const recorded = (name: string): unknown => JSON.parse(readFileSync(path.join(import.meta.dirname, 'testdata', name), 'utf8')) as unknown;

describe('kiali v2.26 adapter', () => {
  it('asks for the versioned-app graph with service and idle nodes over the window', () => {
    const p = new URL(graphPath('default', 120), 'http://k');
    expect(p.pathname).toBe('/api/namespaces/graph');
    expect(Object.fromEntries(p.searchParams)).toEqual({ namespaces: 'default', graphType: 'versionedApp', duration: '120s', injectServiceNodes: 'true', appenders: 'idleNode,deadNode' });
    expect(validationsPath('default')).toBe('/api/namespaces/default/istio?validate=true');
  });

  it('reads nodes (boxes left out) and edges with their request rate from a recorded graph', () => {
    const g = parseGraph(recorded('graph-versioned-app.json'));
    expect(g.durationSeconds).toBe(60);
    expect(g.nodes.filter((n) => n.kind === 'app' && n.name === 'reviews').map((n) => n.label).sort()).toEqual(['reviews v1', 'reviews v2', 'reviews v3']);
    expect(g.nodes.some((n) => n.kind === 'other')).toBe(false);
    const toReviews = g.edges.find((e) => e.source.label === 'productpage v1' && e.target.kind === 'service' && e.target.name === 'reviews');
    expect(toReviews?.rps).toBe(2);
    expect(g.edges.find((e) => e.source.name === 'istio-ingressgateway')?.target.label).toBe('productpage');
  });

  it('reads per-object checks, KIA1107 on the VirtualService as a warning', () => {
    const v = parseValidations(recorded('istio-config-validate-subset-v4.json'));
    expect(v.map((o) => `${o.kind}/${o.name}`)).toEqual(['DestinationRule/reviews', 'Gateway/bookinfo-gateway', 'VirtualService/bookinfo', 'VirtualService/reviews']);
    expect(v.find((o) => o.kind === 'VirtualService' && o.name === 'reviews')?.checks).toEqual([{ code: 'KIA1107', message: 'Subset not found', severity: 'warning', path: 'spec/http[0]/route[0]/destination' }]);
  });

  it('refuses an answer of another shape (a changed API) instead of reading nothing', () => {
    expect(() => parseGraph({ elements: [] })).toThrow();
    expect(() => parseValidations({ validations: { x: { y: { name: 1 } } } })).toThrow();
  });
});
