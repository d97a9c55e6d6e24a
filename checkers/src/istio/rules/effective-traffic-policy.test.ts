import { describe, expect, it } from 'vitest';
import type { DestinationRule } from '../istio-schemas';
import { effectiveTrafficPolicy } from './effective-traffic-policy';

const dr = (spec: Record<string, unknown>) => ({ metadata: { name: 'r', namespace: 'default' }, spec: { host: 'reviews', ...spec } }) as unknown as DestinationRule;

describe('effectiveTrafficPolicy (istiod MergeSubsetTrafficPolicy)', () => {
  const top = { loadBalancer: { simple: 'RANDOM' }, outlierDetection: { consecutive5xxErrors: 1 } };
  it('merges a subset policy part by part over the top level', () => {
    const rule = dr({ trafficPolicy: top, subsets: [{ name: 'v1', labels: { version: 'v1' }, trafficPolicy: { loadBalancer: { simple: 'ROUND_ROBIN' } } }] });
    expect(effectiveTrafficPolicy(rule, 'v1')).toEqual({ loadBalancer: { simple: 'ROUND_ROBIN' }, outlierDetection: { consecutive5xxErrors: 1 } });
    expect(effectiveTrafficPolicy(rule, undefined)).toEqual(top);
    expect(effectiveTrafficPolicy(undefined, 'v1')).toEqual({});
  });
  it('lets a port-level entry replace the top level without inheriting', () => {
    const rule = dr({ trafficPolicy: { ...top, portLevelSettings: [{ port: { number: 9080 }, loadBalancer: { simple: 'LEAST_REQUEST' } }] } });
    expect(effectiveTrafficPolicy(rule, undefined, 9080)).toEqual({ loadBalancer: { simple: 'LEAST_REQUEST' }, connectionPool: undefined, outlierDetection: undefined, tls: undefined });
    expect(effectiveTrafficPolicy(rule, undefined, 80)).toMatchObject(top);
  });
});
