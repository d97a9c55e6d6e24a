import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baselineCluster, serviceEntry, sidecar, startCheckHarness, type CheckHarness } from '../../testing';
import { expectFailed, expectOnlyReads, failure } from '../shared-check-testing';
import { externalApi } from '../shared-lab-fixtures';

const start = [...baselineCluster(), ...externalApi(), sidecar('default', 'default', { outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } })];
const se = (over: Record<string, unknown> = {}) =>
  serviceEntry('default', 'api-example', {
    hosts: ['api.example.com'],
    ports: [{ number: 80, name: 'http', protocol: 'HTTP' }],
    resolution: 'DNS',
    location: 'MESH_EXTERNAL',
    ...over,
  });

describe('l11-egress-serviceentry state parts', () => {
  let h: CheckHarness;
  beforeAll(async () => {
    h = await startCheckHarness({ objects: start });
  });
  afterAll(() => h.close());
  const run = (step: string, extra: ReturnType<typeof se>[]) => {
    h.api.set([...start, ...extra]);
    return h.run('l11-egress-serviceentry', step);
  };

  it('service-entry fails on its starting state (no ServiceEntry)', async () => {
    const r = await run('service-entry', []);
    expectFailed(r);
    failure(r, 'L11.SE');
    expectOnlyReads(h);
  });

  it('fails when the port is declared TCP', async () => {
    const r = await run('service-entry', [se({ ports: [{ number: 80, name: 'tcp', protocol: 'TCP' }] })]);
    expect(failure(r, 'L11.SE_PORT').hint).toMatch(/IST0134/);
  });

  it('fails with resolution NONE', async () => {
    const r = await run('service-entry', [se({ resolution: 'NONE' })]);
    expect(failure(r, 'L11.SE_RESOLUTION').hint).toMatch(/resolution: DNS/);
  });

  it('registry-only fails on a Sidecar with a workloadSelector', async () => {
    h.api.set([...baselineCluster(), ...externalApi(), sidecar('default', 'curl-only', { workloadSelector: { labels: { app: 'curl' } }, outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } })]);
    const r = await h.run('l11-egress-serviceentry', 'registry-only');
    expect(failure(r, 'L11.REGISTRY_ONLY').hint).toMatch(/drop the selector/);
  });

  it('registry-only fails with IST0111 on two namespace-wide Sidecars', async () => {
    h.api.set([...start, sidecar('default', 'second', { outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } })]);
    const r = await h.run('l11-egress-serviceentry', 'registry-only');
    failure(r, 'IST0111');
  });
});
