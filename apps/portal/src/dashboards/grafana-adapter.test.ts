import { describe, expect, it } from 'vitest';
import { dashboardAddons } from './dashboard-addons';
import { fixture } from './fixture';
import { grafanaAdapterFor } from './grafana-adapter';

const grafana = grafanaAdapterFor(dashboardAddons.grafana.version);

describe('the Grafana adapter (12.0)', () => {
  it("finds Istio's dashboards and the mesh dashboard's UID to embed", () => {
    const summary = grafana.parseSearch(fixture('grafana-12.0.1', 'search-istio.json'));
    expect(summary.dashboards.map((d) => d.title)).toContain('Istio Service Dashboard');
    expect(summary.dashboards).toHaveLength(7);
    expect(summary.preferred).toEqual({ uid: '1a9a8ea49444aae205c7737573e894f9', title: 'Istio Mesh Dashboard', embedPath: '/grafana/d/1a9a8ea49444aae205c7737573e894f9?kiosk' });
    expect(grafana.line(summary)).toBe('Grafana: 7 Istio dashboards, showing Istio Mesh Dashboard');
  });

  it('says so when there are none', () => {
    expect(grafana.line(grafana.parseSearch([]))).toBe('Grafana: no Istio dashboards found');
  });

  it('reads the running version and refuses one it does not know', () => {
    expect(grafana.parseHealth(fixture('grafana-12.0.1', 'health.json'))).toBe('12.0.1');
    expect(() => grafana.parseHealth({ version: '11.6.0' })).toThrow(/Grafana 11.6.0 is not a version this portal knows/);
    expect(() => grafanaAdapterFor('13.0.0')).toThrow(/Grafana 13.0.0/);
  });
});
