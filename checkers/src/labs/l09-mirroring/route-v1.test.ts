import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../cluster-reader';
import { baselineCluster, destinationRule, virtualService } from '../../testing';
import { expectFailed, expectOnlyReads, expectPassed, failure, warnCodes } from '../../testing/check-expectations';
import { dest, introApps } from '../../testing/testdata/lab-fixtures';
import { startMeshHarness, type MeshHarness, type MeshRunOptions } from '../../testing/mesh-harness';

/** What labs/l09-mirroring/setup.sh leaves: httpbin-v1 and -v2 behind one Service, no VS, no DR. */
const start = [...baselineCluster(), ...introApps({ httpbinVersions: ['v1', 'v2'] })];
const dr = (v1Labels: Record<string, string> = { version: 'v1' }) =>
  destinationRule('intro', 'httpbin', {
    host: 'httpbin',
    subsets: [
      { name: 'v1', labels: v1Labels },
      { name: 'v2', labels: { version: 'v2' } },
    ],
  });
const vs = (extra: Record<string, unknown> = {}) =>
  virtualService('intro', 'httpbin', { hosts: ['httpbin'], http: [{ route: [dest('httpbin', 'v1', 100)], ...extra }] });

describe('l09-mirroring/route-v1', () => {
  let fx: MeshHarness;
  beforeAll(async () => {
    fx = await startMeshHarness('l09-mirroring', start);
  });
  afterAll(() => fx.close());
  const run = (objects: KubeObject[], options?: MeshRunOptions) => fx.run('route-v1', objects, true, options);
  const httpbinLines = () => [...fx.logLines('intro', 'httpbin-v1', 'httpbin'), ...fx.logLines('intro', 'httpbin-v2', 'httpbin')].length;

  it('passes on the solution: v1 logs the 10 calls, v2 none', async () => {
    const r = await run([...start, dr(), vs()]);
    expectPassed(r);
    expect(r.assertions.find((a) => a.code === 'L09.V1_SERVED')?.actual).toMatch(/v1 10 .*v2 0/);
    // The probe path is fresh per run, so older log lines cannot count.
    expect(fx.logLines('intro', 'httpbin-v1', 'httpbin').at(-1)).toMatch(/uri="\/anything\/workshop-probe-[0-9a-f]{8}"/);
    expectOnlyReads(fx.h);
  });

  it('fails on the lab starting state (no VirtualService) without probing', async () => {
    const before = httpbinLines();
    const r = await run(start);
    expectFailed(r);
    expect(failure(r, 'L09.VS').hint).toMatch(/VirtualService for httpbin in namespace intro .*subset v1/);
    expect(httpbinLines()).toBe(before);
  });

  it('fails with IST0101 when the VS is applied before the DestinationRule', async () => {
    const r = await run([...start, vs()]);
    expect(failure(r, 'IST0101').hint).toMatch(/subset v1/);
  });

  it('fails on 503s when subset v1 selects no pod (label app: v1 instead of version: v1)', async () => {
    // The state part now catches it before any traffic: the subset selects no Ready pod (IST0173).
    const r = await run([...start, dr({ app: 'v1' }), vs()]);
    expect(failure(r, 'IST0173').expected).toMatch(/app=httpbin,version=v1|app=v1/);
    expect(failure(r, 'IST0173').hint).toMatch(/503 \(flag UH\)/);
  });

  it('fails when v2 logs grow although the route says v1', async () => {
    // The proxies have not received the route yet: both versions answer.
    const r = await run([...start, dr(), vs()], { proxiesSee: start });
    expect(failure(r, 'L09.V2_QUIET').hint).toMatch(/reached v2/);
    failure(r, 'L09.V1_SERVED');
  });

  it('only warns when the learner already mirrors to v2 (ahead of the lesson)', async () => {
    const r = await run([...start, dr(), vs({ mirror: { host: 'httpbin', subset: 'v2' }, mirrorPercentage: { value: 100 } })]);
    expectPassed(r);
    expect(warnCodes(r)).toContain('L09.V2_QUIET');
  });

  it('fails when the route goes to v2', async () => {
    const r = await run([...start, dr(), virtualService('intro', 'httpbin', { hosts: ['httpbin'], http: [{ route: [dest('httpbin', 'v2')] }] })]);
    expect(failure(r, 'MESH.ROUTE_SHARES').hint).toMatch(/100% to v1/);
  });
});
