import { describe, expect, it } from 'vitest';
import { telemetrySchema, type Telemetry } from '../istio-schemas';
import { metricTags } from './metric-tags';

function tel(ns: string, name: string, spec: Record<string, unknown>, created = '2026-01-01T00:00:00Z'): Telemetry {
  return telemetrySchema.parse({ apiVersion: 'telemetry.istio.io/v1', kind: 'Telemetry', metadata: { namespace: ns, name, creationTimestamp: created }, spec });
}
const hostTag = (metric = 'REQUEST_COUNT', mode?: string) => ({
  metrics: [{ providers: [{ name: 'prometheus' }], overrides: [{ match: { metric, ...(mode ? { mode } : {}) }, tagOverrides: { request_host: { value: 'request.host' } } }] }],
});
const productpage = { namespace: 'default', labels: { app: 'productpage' } };

describe('metric tags from Telemetry', () => {
  it('adds a tag for the matching metric and side, at namespace or root level', () => {
    expect(metricTags([tel('default', 'namespace-metrics', hostTag())], productpage, 'REQUEST_COUNT', 'SERVER').added).toEqual({ request_host: 'request.host' });
    expect(metricTags([tel('istio-system', 'mesh-default', hostTag('ALL_METRICS'))], productpage, 'REQUEST_COUNT', 'CLIENT').added).toEqual({ request_host: 'request.host' });
    expect(metricTags([tel('default', 'x', hostTag('REQUEST_DURATION'))], productpage, 'REQUEST_COUNT', 'SERVER').added).toEqual({});
    expect(metricTags([tel('default', 'x', hostTag('REQUEST_COUNT', 'CLIENT'))], productpage, 'REQUEST_COUNT', 'SERVER').added).toEqual({});
  });
  it('lets a workload-level REMOVE undo a namespace tag, and ignores other providers', () => {
    const remove = tel('default', 'pp', { selector: { matchLabels: { app: 'productpage' } }, metrics: [{ overrides: [{ tagOverrides: { request_host: { operation: 'REMOVE' } } }] }] });
    const r = metricTags([tel('default', 'ns', hostTag()), remove], productpage, 'REQUEST_COUNT', 'SERVER');
    expect(r).toMatchObject({ added: {}, removed: ['request_host'] });
    const otherProvider = tel('default', 'ns', { metrics: [{ providers: [{ name: 'stackdriver' }], overrides: hostTag().metrics[0]!.overrides }] });
    expect(metricTags([otherProvider], productpage, 'REQUEST_COUNT', 'SERVER').added).toEqual({});
  });
  it('uses only the oldest of two selector-less Telemetry objects in a namespace', () => {
    const older = tel('default', 'a', { metrics: [] }, '2026-01-01T00:00:00Z');
    const newer = tel('default', 'namespace-metrics', hostTag(), '2026-02-01T00:00:00Z');
    const r = metricTags([newer, older], productpage, 'REQUEST_COUNT', 'SERVER');
    expect(r.added).toEqual({});
    expect(r.ignored.map((t) => t.metadata.name)).toEqual(['namespace-metrics']);
  });
});
