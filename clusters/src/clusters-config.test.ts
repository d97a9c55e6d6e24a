import { describe, expect, it } from 'vitest';
import { ClustersConfigError, loadClustersConfig } from './clusters-config';
import { environmentCapacity } from './host-capacity';

describe('clusters config', () => {
  it('defaults to the local provider when docker or kind is not on PATH, and states every default', () => {
    const c = loadClustersConfig({ PATH: '/nonexistent' }, '/srv/platform');
    expect(c.provider).toBe('local');
    expect(c.providerSource).toBe('detected');
    expect(c).toMatchObject({ poolSize: 1, maxClusters: 4, maxConcurrentProvisions: 2, memoryPerClusterMiB: 4608, ttlMinutes: 120 });
    expect(c.dataDir).toBe('/srv/platform/.data/clusters');
    expect(c.dbPath).toBe('/srv/platform/.data/clusters/clusters.sqlite');
    expect(c.httpPortRange).toEqual({ first: 18080, last: 18179 });
  });

  it('reports every bad value with the variable, the value and the rule', () => {
    let error: unknown;
    try {
      loadClustersConfig({ CLUSTERS_PROVIDER: 'docker', CLUSTERS_TTL_MINUTES: '0', CLUSTERS_HTTP_PORT_RANGE: '90-80', CLUSTERS_SKIP_STEPS: 'smoke,tea' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ClustersConfigError);
    const problems = (error as ClustersConfigError).problems.join('\n');
    expect(problems).toContain('CLUSTERS_PROVIDER="docker": expected one of local, kind, existing');
    expect(problems).toContain('CLUSTERS_TTL_MINUTES="0": expected a whole number ≥ 1');
    expect(problems).toContain('CLUSTERS_HTTP_PORT_RANGE="90-80": expected 1024 ≤ first ≤ last ≤ 65535');
    expect(problems).toMatch(/CLUSTERS_SKIP_STEPS="smoke,tea": expected a comma list of steps/);
  });

  it('requires the cluster list for the existing provider and sane caps', () => {
    expect(() => loadClustersConfig({ CLUSTERS_PROVIDER: 'existing' })).toThrow(/CLUSTERS_EXISTING_CONFIG: required when CLUSTERS_PROVIDER=existing/);
    expect(() => loadClustersConfig({ CLUSTERS_MAX_CLUSTERS: '2', CLUSTERS_MAX_CONCURRENT_PROVISIONS: '3' })).toThrow(
      /CLUSTERS_MAX_CONCURRENT_PROVISIONS=3: must not exceed CLUSTERS_MAX_CLUSTERS=2/,
    );
  });

  it('caps kind environments by host memory, config and provider', () => {
    const kind = { provider: 'kind' as const, maxClusters: 20, memoryPerClusterMiB: 4608, reservedMemoryMiB: 8192 };
    // 64 GiB host, 8 GiB reserved, 4.5 GiB per environment ⇒ 12.
    expect(environmentCapacity(kind, 65_536, null)).toMatchObject({ max: 12, byMemory: 12, byConfig: 20 });
    expect(environmentCapacity({ ...kind, maxClusters: 3 }, 65_536, null).max).toBe(3);
    expect(environmentCapacity({ ...kind, provider: 'existing' }, 65_536, 5)).toMatchObject({ max: 5, byMemory: null });
    expect(environmentCapacity({ ...kind, provider: 'local' }, 1024, null).max).toBe(Number.MAX_SAFE_INTEGER);
  });
});
