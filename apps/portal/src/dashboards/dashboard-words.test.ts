import { describe, expect, it } from 'vitest';
import { dashboardForLink, type DashboardTab } from './dashboard-words';

const tabs: DashboardTab[] = [
  { id: 'kiali', label: 'Kiali', landing: '/kiali/console/', mount: '/kiali/' },
  { id: 'grafana', label: 'Grafana', landing: '/grafana/dashboards', mount: '/grafana/' },
];

describe('a lesson link into a dashboard', () => {
  it('opens the tab whose mount its path is under', () => {
    expect(dashboardForLink(tabs, '/grafana/d/1a9a8ea49444aae205c7737573e894f9')?.id).toBe('grafana');
    expect(dashboardForLink(tabs, '/kiali/console/graph/namespaces/?namespaces=default')?.id).toBe('kiali');
    expect(dashboardForLink(tabs, '/kiali?x=1')?.id).toBe('kiali');
  });
  it('leaves every other link alone', () => {
    for (const href of ['/labs/l03-subsets', '/kialix/', 'https://istio.io/latest/docs/', '//evil.example/kiali/', '#step-2', '/api/dashboards/kiali/summary'])
      expect(dashboardForLink(tabs, href)).toBeUndefined();
  });
});
