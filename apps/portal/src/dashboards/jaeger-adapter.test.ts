import { describe, expect, it } from 'vitest';
import { dashboardAddons } from './dashboard-addons';
import { fixture } from './fixture';
import { jaegerAdapterFor } from './jaeger-adapter';

const jaeger = jaegerAdapterFor(dashboardAddons.jaeger.version);

describe('the Jaeger adapter (2.14)', () => {
  it('lists the traced services and summarises productpage traces', () => {
    const services = jaeger.parseServices(fixture('jaeger-2.14.0', 'services.json'));
    expect(services).toContain('productpage.default');
    const traces = jaeger.parseTraces(fixture('jaeger-2.14.0', 'traces-productpage.json'));
    expect(traces.map((t) => t.spans)).toEqual([8, 6, 8]);
    expect(traces[0]?.services).toEqual(['details.default', 'istio-ingressgateway.istio-system', 'productpage.default', 'ratings.default', 'reviews.default']);
    expect(traces[0]?.durationMs).toBe(24);
    expect(jaeger.line({ services, service: 'productpage.default', traces })).toBe('Jaeger: 5 services, 3 traces of productpage.default, 6–8 spans per trace');
  });

  it('asks for an hour of productpage traces', () => {
    expect(jaeger.tracesPath('productpage.default')).toBe('/jaeger/api/traces?service=productpage.default&lookback=1h&limit=20');
  });

  it("reports Jaeger's own errors and refuses an unknown version", () => {
    expect(() => jaeger.parseTraces({ data: null, total: 0, limit: 0, offset: 0, errors: [{ code: 400, msg: "parameter 'service' is required" }] })).toThrow(/parameter 'service' is required/);
    expect(() => jaegerAdapterFor('1.62.0')).toThrow(/Jaeger 1.62.0 is not a version this portal knows/);
  });
});
