import { describe, expect, it } from 'vitest';
import { effectiveLoadBalancer } from './effective-load-balancer';

describe('effectiveLoadBalancer (istiod applyLoadBalancer)', () => {
  it('defaults to LEAST_REQUEST', () => {
    expect(effectiveLoadBalancer(undefined)).toEqual({ lbPolicy: 'LEAST_REQUEST', path: 'trafficPolicy.loadBalancer' });
    expect(effectiveLoadBalancer({ loadBalancer: { simple: 'LEAST_CONN' } }).lbPolicy).toBe('LEAST_REQUEST');
  });
  it('maps simple algorithms', () => {
    expect(effectiveLoadBalancer({ loadBalancer: { simple: 'RANDOM' } }).lbPolicy).toBe('RANDOM');
    expect(effectiveLoadBalancer({ loadBalancer: { simple: 'ROUND_ROBIN' } }).lbPolicy).toBe('ROUND_ROBIN');
    expect(effectiveLoadBalancer({ loadBalancer: { simple: 'PASSTHROUGH' } }).lbPolicy).toBe('CLUSTER_PROVIDED');
  });
  it('lets consistentHash win with its hash key', () => {
    expect(effectiveLoadBalancer({ loadBalancer: { simple: 'RANDOM', consistentHash: { httpHeaderName: 'User-Agent' } } })).toEqual({
      lbPolicy: 'RING_HASH',
      hashKey: { header: 'user-agent' },
      path: 'trafficPolicy.loadBalancer.consistentHash',
    });
    expect(effectiveLoadBalancer({ loadBalancer: { consistentHash: { useSourceIp: true, maglev: {} } as never } })).toMatchObject({ lbPolicy: 'MAGLEV', hashKey: { sourceIp: true } });
  });
});
