import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baselineCluster, destinationRule, startCheckHarness, virtualService, type CheckHarness } from '../../testing';
import { expectFailed, expectOnlyReads, expectPassed, failure } from '../../testing/check-expectations';
import { dest, introApps } from '../../testing/testdata/lab-fixtures';

const dr = destinationRule('intro', 'httpbin', {
  host: 'httpbin',
  subsets: [
    { name: 'v1', labels: { version: 'v1' } },
    { name: 'v2', labels: { version: 'v2' } },
  ],
});
const start = [...baselineCluster(), ...introApps({ httpbinVersions: ['v1', 'v2'] }), dr];
const vs = (rule: Record<string, unknown>) => virtualService('intro', 'httpbin', { hosts: ['httpbin'], http: [{ route: [dest('httpbin', 'v1', 100)], ...rule }] });

describe('l09-mirroring/mirror-v2', () => {
  let h: CheckHarness;
  beforeAll(async () => {
    h = await startCheckHarness({ objects: start });
  });
  afterAll(() => h.close());
  const run = (extra: ReturnType<typeof vs>[]) => {
    h.api.set([...start, ...extra]);
    return h.run('l09-mirroring', 'mirror-v2');
  };

  it('passes with mirror + mirrorPercentage', async () => {
    expectPassed(await run([vs({ mirror: { host: 'httpbin', subset: 'v2' }, mirrorPercentage: { value: 100 } })]));
    expectOnlyReads(h);
  });

  it('passes with the newer mirrors list', async () => {
    expectPassed(await run([vs({ mirrors: [{ destination: { host: 'httpbin', subset: 'v2' }, percentage: { value: 100 } }] })]));
  });

  it('fails on the starting state (route to v1 only)', async () => {
    const r = await run([vs({})]);
    expectFailed(r);
    failure(r, 'L09.MIRROR');
  });

  it('fails when mirroring to the subset that already answers', async () => {
    const r = await run([vs({ mirror: { host: 'httpbin', subset: 'v1' }, mirrorPercentage: { value: 100 } })]);
    expect(failure(r, 'L09.MIRROR_SAME_SUBSET').hint).toMatch(/subset v2/);
  });

  it('fails at mirror percentage 0', async () => {
    const r = await run([vs({ mirror: { host: 'httpbin', subset: 'v2' }, mirrorPercentage: { value: 0 } })]);
    failure(r, 'L09.MIRROR_PERCENTAGE');
  });
});
