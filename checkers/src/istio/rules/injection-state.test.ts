import { describe, expect, it } from 'vitest';
import { namespaceInjection, podInjection, podOptOut } from './injection-state';
import { pod } from './testdata/pods';

describe('injection state', () => {
  it('namespace labels: enabled, revision, both (IST0123), typo', () => {
    expect(namespaceInjection({ metadata: { labels: { 'istio-injection': 'enabled' } } }).state).toBe('enabled');
    expect(namespaceInjection({ metadata: { labels: { 'istio.io/rev': 'canary' } } })).toEqual({ state: 'revision', revision: 'canary' });
    expect(namespaceInjection({ metadata: { labels: { 'istio-injection': 'enabled', 'istio.io/rev': 'x' } } }).state).toBe('both');
    expect(namespaceInjection({ metadata: { labels: { 'istio-injection': 'enable' } } })).toEqual({ state: 'wrong-value', value: 'enable' });
  });
  it('opt-out: the label first, the deprecated annotation still honoured', () => {
    expect(podOptOut({ labels: { 'sidecar.istio.io/inject': 'false' } })).toEqual({ optedOut: true, via: 'label' });
    expect(podOptOut({ annotations: { 'sidecar.istio.io/inject': 'false' } })).toEqual({ optedOut: true, via: 'annotation' });
    expect(podOptOut({ labels: { 'sidecar.istio.io/inject': 'true' }, annotations: { 'sidecar.istio.io/inject': 'false' } })).toEqual({ optedOut: false });
  });
  it('native and classic sidecars, Ready', () => {
    expect(podInjection(pod('a', {}, { proxy: 'native' }))).toMatchObject({ proxy: 'native', ready: true });
    expect(podInjection(pod('b', {}, { proxy: 'classic', ready: false }))).toMatchObject({ proxy: 'classic', ready: false });
    expect(podInjection(pod('c', {})).proxy).toBe('none');
  });
});
