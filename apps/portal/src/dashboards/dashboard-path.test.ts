import { describe, expect, it } from 'vitest';
import { dashboardAddons } from './dashboard-addons';
import { publicPath, upstreamPath } from './dashboard-path';
import { mapLinks } from './dashboard-proxy';

describe('dashboard paths', () => {
  it('forward Kiali and Jaeger unchanged and strip the mount for Grafana, Prometheus and Bookinfo', () => {
    expect(upstreamPath(dashboardAddons.kiali, '/kiali/api/status')).toEqual({ ok: true, path: '/kiali/api/status' });
    expect(upstreamPath(dashboardAddons.jaeger, '/jaeger/search')).toEqual({ ok: true, path: '/jaeger/search' });
    expect(upstreamPath(dashboardAddons.grafana, '/grafana/d/1a9a8ea49444aae205c7737573e894f9')).toEqual({ ok: true, path: '/d/1a9a8ea49444aae205c7737573e894f9' });
    expect(upstreamPath(dashboardAddons.prometheus, '/prometheus/')).toEqual({ ok: true, path: '/' });
    expect(upstreamPath(dashboardAddons.bookinfo, '/bookinfo/productpage')).toEqual({ ok: true, path: '/productpage' });
  });

  it.each([
    ['/kiali/../api/v1/secrets', '"." or ".."'],
    ['/kiali/./x', '"." or ".."'],
    ['/kiali/%2E%2E/x', '"." or ".."'],
    ['/kiali/a%2F..%2F..%2Fsecrets', 'encoded slashes'],
    ['/kiali/a%5C..', 'encoded slashes or backslashes'],
    ['/kiali/a%00', 'control characters'],
    ['/kiali/a//b', 'empty segments'],
    ['/kiali/%E0%A4%A', 'malformed percent-escape'],
    ['/grafana/x', 'not under /kiali/'],
  ])('refuse %s', (path, reason) => {
    const answer = upstreamPath(dashboardAddons.kiali, path);
    expect(answer.ok).toBe(false);
    if (!answer.ok) expect(answer.reason).toContain(reason);
  });

  it('map links back: already public ones stay, upstream ones move under the mount', () => {
    expect(publicPath(dashboardAddons.grafana, '/grafana/public/build/app.js')).toBe('/grafana/public/build/app.js');
    expect(publicPath(dashboardAddons.bookinfo, '/static/bootstrap.css')).toBe('/bookinfo/static/bootstrap.css');
    expect(publicPath(dashboardAddons.kiali, '/kiali/')).toBe('/kiali/');
  });

  it('map the API server proxy links in a page to the portal', () => {
    const html = '<link href="/api/v1/namespaces/default/services/productpage:9080/proxy/static/tailwind.css"><a href="/api/v1/namespaces/default/services/productpage:9080/proxy">home</a><a href="https://example.org/x">out</a>';
    expect(mapLinks(dashboardAddons.bookinfo, html)).toBe('<link href="/bookinfo/static/tailwind.css"><a href="/bookinfo/">home</a><a href="https://example.org/x">out</a>');
    const grafana = '<script src="/api/v1/namespaces/istio-system/services/grafana:3000/proxy/grafana/public/build/app.js"></script>';
    expect(mapLinks(dashboardAddons.grafana, grafana)).toBe('<script src="/grafana/public/build/app.js"></script>');
  });
});
