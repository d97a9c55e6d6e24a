import { describe, expect, it } from 'vitest';
import { effectiveRetryPolicy, istioDefaultRetryOn, retriesTry } from './effective-retries';

describe('effectiveRetryPolicy (istiod ConvertPolicy)', () => {
  it("uses Istio's default without retries: 2 retries, no retriable status codes", () => {
    const p = effectiveRetryPolicy({});
    expect(p).toMatchObject({ attempts: 2, retryOn: istioDefaultRetryOn.split(','), retriableStatusCodes: [], from: 'istio-default' });
    // A plain 500 or 503 from the app is not retried by the default policy in 1.30.
    expect(retriesTry(p, { status: 500 })).toBe(false);
    expect(retriesTry(p, { status: 503 })).toBe(false);
    expect(retriesTry(p, { status: 503, reset: 'connect-failure' })).toBe(true);
    expect(retriesTry(p, { status: 200, grpcStatus: 14 })).toBe(true);
  });

  it('prefers meshConfig defaultHttpRetryPolicy over the built-in default', () => {
    expect(effectiveRetryPolicy(undefined, { attempts: 5, retryOn: 'gateway-error' })).toMatchObject({ attempts: 5, retryOn: ['gateway-error'], from: 'mesh-default' });
  });

  it('disables retries with attempts 0 or omitted', () => {
    expect(effectiveRetryPolicy({ retries: { attempts: 0 } })).toBeUndefined();
    expect(effectiveRetryPolicy({ retries: { retryOn: '5xx' } })).toBeUndefined();
    expect(retriesTry(undefined, { status: 500 })).toBe(false);
  });

  it('keeps the default conditions when retryOn is left out', () => {
    const p = effectiveRetryPolicy({ retries: { attempts: 3 } });
    expect(p).toMatchObject({ attempts: 3, retryOn: istioDefaultRetryOn.split(','), from: 'route' });
    expect(retriesTry(p, { status: 500 })).toBe(false);
  });

  it('splits codes out of retryOn and adds retriable-status-codes for them', () => {
    const p = effectiveRetryPolicy({ retries: { attempts: 3, retryOn: 'connect-failure, 500 ,503', perTryTimeout: '2s' } });
    expect(p).toMatchObject({ retryOn: ['connect-failure', 'retriable-status-codes'], retriableStatusCodes: [500, 503], perTryTimeoutMs: 2000 });
    expect(retriesTry(p, { status: 500 })).toBe(true);
    expect(retriesTry(p, { status: 502 })).toBe(false);
  });

  it('follows Envoy retry_on conditions', () => {
    const on = (retryOn: string) => effectiveRetryPolicy({ retries: { attempts: 1, retryOn } });
    expect(retriesTry(on('5xx'), { status: 500 })).toBe(true);
    expect(retriesTry(on('5xx'), { status: 504, reset: 'per-try-timeout' })).toBe(true);
    expect(retriesTry(on('5xx'), { status: 503, reset: 'overflow' })).toBe(false);
    expect(retriesTry(on('gateway-error'), { status: 500 })).toBe(false);
    expect(retriesTry(on('gateway-error'), { status: 503 })).toBe(true);
    expect(retriesTry(on('retriable-4xx'), { status: 409 })).toBe(true);
    expect(retriesTry(on('retriable-status-codes'), { status: 500 })).toBe(false);
    expect(retriesTry(on('connect-failure'), { status: 0, reset: 'reset' })).toBe(false);
  });
});
