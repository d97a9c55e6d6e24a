import { describe, expect, it } from 'vitest';
import { dashboardAddons } from './dashboard-addons';
import { fixture } from './fixture';
import { prometheusAdapterFor } from './prometheus-adapter';

const prometheus = prometheusAdapterFor(dashboardAddons.prometheus.version);

describe('the Prometheus adapter (v3.10)', () => {
  it('sums the request rate per destination service', () => {
    const summary = prometheus.parseVector(fixture('prometheus-v3.10.0', 'query-request-rate.json'), prometheus.requestRateQuery);
    expect(summary.series).toHaveLength(4);
    expect(summary.total).toBeCloseTo(7.33, 2);
    expect(prometheus.line(summary)).toBe('Prometheus: 7.33 req/s across 4 services (istio_requests_total, last minute)');
  });

  it("reports Prometheus' own refusal", () => {
    expect(() => prometheus.parseVector(fixture('prometheus-v3.10.0', 'query-bad-data.json'), 'sum(rate(')).toThrow(/Prometheus refused the query \(bad_data\): invalid parameter "query"/);
  });

  it('reads the running version and refuses one it does not know', () => {
    expect(prometheus.parseBuildInfo(fixture('prometheus-v3.10.0', 'buildinfo.json'))).toBe('3.10.0');
    expect(() => prometheusAdapterFor('v2.55.1')).toThrow(/Prometheus v2.55.1 is not a version this portal knows/);
  });
});
