import { describe, expect, it } from 'vitest';
import { parseGraph, parseValidations } from '../kiali/kiali-api';
import { destinationRule, virtualService } from './testdata/kube-builders';
import { kialiGraph, kialiIstioConfig, type KialiState } from './fake-kiali';

const now = 1_764_820_800_000;
const served = (at: number, version: string, extra: Record<string, string> = {}) => ({
  at,
  labels: {
    reporter: 'destination', source_workload: 'productpage-v1', source_workload_namespace: 'default', destination_workload: `reviews-${version}`, destination_workload_namespace: 'default',
    destination_service_name: 'reviews', destination_service_namespace: 'default', response_code: '200', ...extra,
  },
});
const state = (requests: KialiState['requests'], objects: KialiState['objects'] = []): KialiState => ({
  requests,
  workloads: [
    { namespace: 'default', name: 'productpage-v1', app: 'productpage', version: 'v1' },
    ...['v1', 'v2', 'v3'].map((v) => ({ namespace: 'default', name: `reviews-${v}`, app: 'reviews', version: v })),
  ],
  services: [{ namespace: 'default', name: 'reviews' }, { namespace: 'default', name: 'productpage' }],
  objects,
});
const graph = (s: KialiState, duration: string, appenders = 'idleNode,deadNode') =>
  parseGraph(kialiGraph(s, new URLSearchParams({ namespaces: 'default', graphType: 'versionedApp', duration, injectServiceNodes: 'true', appenders }), now));

describe('fake Kiali v2.26', () => {
  it('draws only the requests inside the window: a short window after old traffic is empty', () => {
    const s = state([served(now - 5 * 60_000, 'v1'), served(now - 5 * 60_000, 'v2')]);
    expect(graph(s, '120s').edges).toEqual([]);
    expect(graph(s, '10m').edges.map((e) => `${e.source.label} → ${e.target.label}`).sort()).toEqual(['productpage v1 → reviews', 'reviews → reviews v1', 'reviews → reviews v2']);
  });
  it('adds idle nodes for workloads without requests only with the idleNode appender', () => {
    const s = state([served(now - 1000, 'v1')]);
    expect(graph(s, '60s').nodes.filter((n) => n.idle).map((n) => n.label).sort()).toEqual(['productpage', 'reviews v2', 'reviews v3']);
    expect(graph(s, '60s', 'deadNode').nodes.filter((n) => n.idle)).toEqual([]);
  });
  it('draws a request the client proxy failed itself (503 NC) as an edge to the service node', () => {
    const nc = { at: now - 1000, labels: { reporter: 'source', source_workload: 'productpage-v1', source_workload_namespace: 'default', destination_service_name: 'reviews', destination_service_namespace: 'default', response_code: '503', response_flags: 'NC' } };
    expect(graph(state([nc]), '60s').edges.map((e) => `${e.source.label} → ${e.target.label}`)).toEqual(['productpage v1 → reviews']);
  });
  it('validates with the subset rule: KIA1107 (warning) for a route to a subset no DestinationRule defines', () => {
    const vs = virtualService('default', 'reviews', { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews', subset: 'v1' }, weight: 50 }, { destination: { host: 'reviews.default.svc.cluster.local', subset: 'v4' }, weight: 50 }] }] });
    const dr = destinationRule('default', 'reviews', { host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'v1' } }] });
    const v = parseValidations(kialiIstioConfig(state([], [vs, dr]), 'default'));
    expect(v.find((o) => o.kind === 'VirtualService')?.checks).toEqual([{ code: 'KIA1107', message: 'Subset not found', severity: 'warning', path: 'spec/http[0]/route[1]/destination' }]);
    expect(v.find((o) => o.kind === 'DestinationRule')?.checks).toEqual([]);
  });
});
