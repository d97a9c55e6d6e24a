import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCheckHarness, virtualService, withChanges, type CheckHarness } from '../../testing';
import { expectFailed, expectOnlyReads, expectPassed, failure, warnCodes } from '../../testing/check-expectations';
import { bookinfoRouted, bookinfoVs, dest } from '../../testing/testdata/lab-fixtures';

const start = bookinfoRouted();
const solution = bookinfoVs('reviews', [{ route: [dest('reviews', 'v1', 50), dest('reviews', 'v3', 50)] }]);

describe('l05-canary/split-50-50', () => {
  let h: CheckHarness;
  beforeAll(async () => {
    h = await startCheckHarness({ objects: start });
  });
  afterAll(() => h.close());
  const run = (objects = start) => {
    h.api.set(objects);
    return h.run('l05-canary', 'split-50-50');
  };

  it('passes on the solution (50/50 in one rule)', async () => {
    const r = await run(withChanges(start, [solution]));
    expectPassed(r);
    expectOnlyReads(h);
  });

  it('passes with relative weights 1/1', async () => {
    expectPassed(
      await run(
        withChanges(start, [bookinfoVs('reviews', [{ route: [dest('reviews', 'v1', 1), dest('reviews', 'v3', 1)] }])]),
      ),
    );
  });

  it('passes with a note when the VirtualService has another name', async () => {
    const renamed = bookinfoVs(
      'reviews',
      [{ route: [dest('reviews', 'v1', 50), dest('reviews', 'v3', 50)] }],
      'reviews-canary',
    );
    const r = await run(withChanges(start, [renamed], ['VirtualService default/reviews']));
    expectPassed(r);
    expect(warnCodes(r)).toContain('MESH.VS_NAME');
  });

  it('fails on the starting state (100 % v1) naming expected vs actual', async () => {
    const r = await run();
    expectFailed(r);
    const a = failure(r, 'MESH.ROUTE_SHARES');
    expect(a.expected).toMatch(/v1 50%, v3 50%/);
    expect(a.actual).toMatch(/v1 100%/);
  });

  it('fails when the weights sit on two different rules', async () => {
    const split = bookinfoVs('reviews', [
      { route: [dest('reviews', 'v1', 50)] },
      { route: [dest('reviews', 'v3', 50)] },
    ]);
    const r = await run(withChanges(start, [split]));
    expectFailed(r);
    expect(failure(r, 'MESH.WEIGHTS_SPLIT_ACROSS_RULES').hint).toMatch(/ONE rule/);
  });

  it('fails when a destination has no subset', async () => {
    const noSubset = bookinfoVs('reviews', [{ route: [dest('reviews', undefined, 50), dest('reviews', 'v3', 50)] }]);
    const r = await run(withChanges(start, [noSubset]));
    expect(failure(r, 'MESH.ROUTE_NO_SUBSET').actual).toMatch(/route has no subset/);
  });

  it('fails with the IST0109 hint when two VirtualServices bind reviews', async () => {
    const second = virtualService('default', 'reviews-canary', {
      hosts: ['reviews.default.svc.cluster.local'],
      http: [{ route: [dest('reviews', 'v3')] }],
    });
    const r = await run(withChanges(start, [solution, second]));
    expect(failure(r, 'IST0109').hint).toMatch(/Keep one/);
  });

  it('fails with IST0101 when v3 is missing from the DestinationRule', async () => {
    const dr = start.find((o) => o.kind === 'DestinationRule' && o.metadata?.name === 'reviews')!;
    const noV3 = {
      ...dr,
      spec: {
        host: 'reviews',
        subsets: [
          { name: 'v1', labels: { version: 'v1' } },
          { name: 'v2', labels: { version: 'v2' } },
        ],
      },
    };
    const r = await run(withChanges(start, [solution, noV3]));
    expect(failure(r, 'IST0101').hint).toMatch(/subset v3 fail with 503 and flag NC/);
  });

  it('shows the resolved FQDN when the host is written as reviews.default', async () => {
    const dotted = virtualService('default', 'reviews', {
      hosts: ['reviews.default'],
      http: [{ route: [dest('reviews', 'v1', 50), dest('reviews', 'v3', 50)] }],
    });
    const r = await run(withChanges(start, [dotted]));
    const a = failure(r, 'MESH.VS_PARTIAL_NAME');
    expect(a.actual).toMatch(/reviews\.default\b/);
    expect(a.hint).toMatch(/expands only a bare service name/);
  });
});
