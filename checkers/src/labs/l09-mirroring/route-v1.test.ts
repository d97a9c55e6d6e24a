import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../cluster-reader';
import { baselineCluster, destinationRule, startCheckHarness, virtualService, type CheckHarness } from '../../testing';
import { expectFailed, expectOnlyReads, expectPassed, failure, warnCodes } from '../shared-check-testing';
import { dest, introApps } from '../shared-lab-fixtures';
import { fakeHttpbinVersions, type FakeHttpbinVersions, type HttpbinBehaviour } from './fake-httpbin-versions';

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
const vs = (extra: Record<string, unknown> = {}) => virtualService('intro', 'httpbin', { hosts: ['httpbin'], http: [{ route: [dest('httpbin', 'v1', 100)], ...extra }] });

describe('l09-mirroring/route-v1', () => {
  let h: CheckHarness;
  let httpbin: FakeHttpbinVersions;
  beforeAll(async () => {
    h = await startCheckHarness({ objects: start });
    httpbin = fakeHttpbinVersions(h, start);
  });
  afterAll(() => h.close());
  const run = (objects: KubeObject[], behaviour: HttpbinBehaviour) => {
    h.api.set(objects);
    httpbin.set(behaviour);
    return h.run('l09-mirroring', 'route-v1');
  };

  it('passes on the solution: v1 logs the 10 calls, v2 none', async () => {
    const r = await run([...start, dr(), vs()], { route: 'v1' });
    expectPassed(r);
    expect(r.assertions.find((a) => a.code === 'L09.V1_SERVED')?.actual).toMatch(/v1 10 .*v2 0/);
    // The probe path is fresh per run, so older log lines cannot count.
    expect(httpbin.lines.v1.at(-1)).toMatch(/uri=\/anything\/workshop-probe-[0-9a-f]{8} /);
    expectOnlyReads(h);
  });

  it('fails on the lab starting state (no VirtualService) without probing', async () => {
    const before = httpbin.lines.v1.length + httpbin.lines.v2.length;
    const r = await run(start, { route: 'spread' });
    expectFailed(r);
    expect(failure(r, 'L09.VS_HTTPBIN').hint).toMatch(/VirtualService for httpbin in namespace intro .*subset v1/);
    expect(httpbin.lines.v1.length + httpbin.lines.v2.length).toBe(before);
  });

  it('fails with IST0101 when the VS is applied before the DestinationRule', async () => {
    const r = await run([...start, vs()], { route: 'no-healthy-upstream' });
    expect(failure(r, 'IST0101').hint).toMatch(/subset v1/);
  });

  it('fails on 503s when subset v1 selects no pod (label app: v1 instead of version: v1)', async () => {
    const r = await run([...start, dr({ app: 'v1' }), vs()], { route: 'no-healthy-upstream' });
    expect(failure(r, 'L09.CALLS_ANSWERED').actual).toMatch(/0 of 10 succeeded \(503×10\)/);
    expect(failure(r, 'L09.CALLS_ANSWERED').hint).toMatch(/IST0173/);
    expect(failure(r, 'L09.V1_SERVED').hint).toMatch(/label version: v1/);
  });

  it('fails when v2 logs grow although the route says v1', async () => {
    const r = await run([...start, dr(), vs()], { route: 'spread' });
    expect(failure(r, 'L09.V2_QUIET').hint).toMatch(/reached v2/);
    failure(r, 'L09.V1_SERVED');
  });

  it('only warns when the learner already mirrors to v2 (ahead of the lesson)', async () => {
    const r = await run([...start, dr(), vs({ mirror: { host: 'httpbin', subset: 'v2' }, mirrorPercentage: { value: 100 } })], { route: 'v1', mirror: 'v2' });
    expectPassed(r);
    expect(warnCodes(r)).toContain('L09.V2_QUIET');
  });

  it('fails when the route goes to v2', async () => {
    const r = await run([...start, dr(), virtualService('intro', 'httpbin', { hosts: ['httpbin'], http: [{ route: [dest('httpbin', 'v2')] }] })], { route: 'v2' });
    expect(failure(r, 'L09.ROUTE_SHARES').hint).toMatch(/100% to v1/);
  });
});
