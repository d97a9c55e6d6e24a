import { describe, expect, it } from 'vitest';
import { clusterExpected } from './cluster-expected';

describe('clusterExpected', () => {
  it('is false only for the local provider without a kubeconfig', () => {
    expect(clusterExpected({ CLUSTERS_PROVIDER: 'local' }, '/tmp')).toBe(false);
    expect(clusterExpected({ CLUSTERS_PROVIDER: 'local', CLUSTERS_LOCAL_KUBECONFIG: '' }, '/tmp')).toBe(false);
    expect(clusterExpected({ CLUSTERS_PROVIDER: 'local', CLUSTERS_LOCAL_KUBECONFIG: '/k/config' }, '/tmp')).toBe(true);
    expect(clusterExpected({ CLUSTERS_PROVIDER: 'kind' }, '/tmp')).toBe(true);
  });
});
