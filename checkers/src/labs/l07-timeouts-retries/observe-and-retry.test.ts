import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../cluster-reader';
import { startMeshHarness, type MeshHarness } from '../../testing/mesh-harness';
import { virtualService, withChanges, workload } from '../../testing';
import { expectFailed, expectOnlyReads, expectPassed, failure, msIn, passed } from '../../testing/check-expectations';
import { bookinfoRouted, bookinfoVs, dest, introApps } from '../../testing/testdata/lab-fixtures';

/** The lab's setup: L03 routing (everything on v1) plus httpbin and curl, both injected, in ns intro. */
const start = [...bookinfoRouted(), ...introApps()];

const delay2s = { delay: { fixedDelay: '2s', percentage: { value: 100 } } };
const ratingsDelayed = bookinfoVs('ratings', [{ fault: delay2s, route: [dest('ratings', 'v1')] }]);
const reviewsV2 = (extra: Record<string, unknown> = {}) =>
  bookinfoVs('reviews', [{ route: [dest('reviews', 'v2')], ...extra }]);
/** After step 1 (delay-ratings) and step 2 (timeout-reviews). */
const delayed = withChanges(start, [reviewsV2(), ratingsDelayed]);
const timedOut = withChanges(start, [reviewsV2({ timeout: '0.5s' }), ratingsDelayed]);

const httpbinVs = (rule: Record<string, unknown>) =>
  virtualService('intro', 'httpbin', {
    hosts: ['httpbin'],
    http: [{ route: [dest('httpbin', undefined, undefined, 8000)], ...rule }],
  });
const lessonRetries = { attempts: 3, perTryTimeout: '2s', retryOn: '5xx' };

/** ns intro with the curl client deployed without a sidecar (retries live in the client's proxy). */
function curlWithoutSidecar(objects: KubeObject[]): KubeObject[] {
  const rest = objects.filter((o) => !(o.metadata?.namespace === 'intro' && o.metadata.name?.startsWith('curl')));
  return [
    ...rest,
    ...workload({
      ns: 'intro',
      name: 'curl',
      labels: { app: 'curl' },
      image: 'docker.io/curlimages/curl:8.16.0',
      serviceAccount: 'curl',
    }),
  ];
}

describe('l07-timeouts-retries probe steps against a modelled mesh', () => {
  let fx: MeshHarness;
  beforeAll(async () => {
    fx = await startMeshHarness('l07-timeouts-retries', start);
  });
  afterAll(() => fx.close());
  type Step = 'observe-timeout' | 'observe-unstable' | 'add-retries';
  const run = (step: Step, objects: KubeObject[], keepSeries = false) => fx.run(step, objects, keepSeries);
  const afterEarlierPasses = async (step: Step, solved: KubeObject[], now: KubeObject[]) => {
    for (let i = 0; i < 3; i++) expectPassed(await run(step, solved, i > 0));
    return run(step, now, true);
  };

  describe('observe-timeout', () => {
    it('passes on the state timeout-reviews leaves: two 0.5 s tries, the reviews error, 504 UT reported', async () => {
      const r = await run('observe-timeout', timedOut);
      expectPassed(r);
      const actual = passed(r, 'L07.PAGE_TIMES_OUT')?.actual;
      expect(actual).toMatch(/reviews error shown$/);
      expect(msIn(actual)).toBeGreaterThanOrEqual(1_000);
      expect(msIn(actual)).toBeLessThan(2_000);
      expect(passed(r, 'L07.PROM_UPSTREAM_TIMEOUT')?.actual).toMatch(
        /^0 before this check's requests, [1-9]\d* after$/,
      );
      expectOnlyReads(fx.h);
    });

    it("fails on the lab's starting state: reviews v1 never calls ratings, so nothing is slow", async () => {
      const r = await run('observe-timeout', start);
      expectFailed(r);
      expect(failure(r, 'L07.PAGE_TIMES_OUT').hint).toMatch(/reviews routed to v2/);
      failure(r, 'L07.PROM_UPSTREAM_TIMEOUT');
    });

    it('fails on UT calls counted in earlier attempts once the timeout is removed again', async () => {
      const r = await afterEarlierPasses('observe-timeout', timedOut, delayed);
      expect(failure(r, 'L07.PAGE_TIMES_OUT').hint).toMatch(/waits for the 2 s ratings delay/);
      const f = failure(r, 'L07.PROM_UPSTREAM_TIMEOUT');
      expect(f.actual).toMatch(/^([1-9]\d*) before this check's requests, still \1 after \d+ s$/);
      expect(f.hint).toMatch(/added no timed-out call.*timeout: 0\.5s/);
    });

    it('fails before the timeout is added: the page waits out the 2 s delay', async () => {
      const r = await run('observe-timeout', delayed);
      const f = failure(r, 'L07.PAGE_TIMES_OUT');
      expect(f.actual).toMatch(/reviews shown/);
      expect(msIn(f.actual)).toBeGreaterThanOrEqual(2_000);
      expect(msIn(f.actual)).toBeLessThan(3_000);
      expect(f.hint).toMatch(/waits for the 2 s ratings delay/);
    });

    it('fails when the timeout sits on ratings (the delay is injected before its router, so it never fires)', async () => {
      const ratings = bookinfoVs('ratings', [{ fault: delay2s, route: [dest('ratings', 'v1')], timeout: '0.5s' }]);
      const r = await run('observe-timeout', withChanges(delayed, [ratings]));
      expect(failure(r, 'L07.PAGE_TIMES_OUT').hint).toMatch(/on the reviews route \(not on ratings/);
      failure(r, 'L07.PROM_UPSTREAM_TIMEOUT');
    });

    it("fails when the timeout is longer than productpage's own 3 s (no visible change)", async () => {
      const r = await run('observe-timeout', withChanges(delayed, [reviewsV2({ timeout: '5s' })]));
      expect(failure(r, 'L07.PAGE_TIMES_OUT').hint).toMatch(/timeout: 0\.5s.*well under the 2 s delay/);
      failure(r, 'L07.PROM_UPSTREAM_TIMEOUT');
    });
  });

  describe('observe-unstable', () => {
    it("passes on the lab's state (no VirtualService for httpbin): about half of 100 calls fail", async () => {
      const r = await run('observe-unstable', start);
      expectPassed(r);
      expect(passed(r, 'L07.UNSTABLE_SHARE')?.actual).toMatch(
        /^\d\d of 100 succeeded \(.*500×\d\d.*\) from intro\/curl-/,
      );
      expectOnlyReads(fx.h);
    });

    it('fails when a retry policy is already in place, with the "remove retries for now" hint', async () => {
      const r = await run('observe-unstable', withChanges(start, [httpbinVs({ retries: lessonRetries })]));
      expect(failure(r, 'L07.UNSTABLE_SHARE').hint).toMatch(/already hides the failures/);
    });

    it('fails with the reachability hint when httpbin does not answer (curl prints 000)', async () => {
      // httpbin deleted: its name no longer resolves, so curl gets no HTTP answer at all.
      const r = await run('observe-unstable', start.filter((o) => !(o.metadata?.namespace === 'intro' && o.metadata.name?.startsWith('httpbin'))));
      const f = failure(r, 'L07.UNSTABLE_ANSWERED');
      expect(f.actual).toMatch(/000×100/);
      expect(f.hint).toMatch(/Is httpbin running/);
    });
  });

  describe('add-retries', () => {
    it('passes on the solution: ≥ 85 % succeed and httpbin saw more 500s than curl received', async () => {
      const r = await run('add-retries', withChanges(start, [httpbinVs({ retries: lessonRetries })]));
      expectPassed(r);
      expect(passed(r, 'L07.RETRY_SUCCESS')?.actual).toMatch(/^(9\d|100) of 100 succeeded/);
      expect(passed(r, 'L07.PROM_RETRIED_500S')?.actual).toMatch(
        /^destination \+[1-9]\d* > source \+\d+ since this check's calls$/,
      );
      expectOnlyReads(fx.h);
    });

    it('accepts retryOn retriable-status-codes with 500 listed', async () => {
      const retries = { attempts: 3, retryOn: 'retriable-status-codes,500' };
      expectPassed(await run('add-retries', withChanges(start, [httpbinVs({ retries })])));
    });

    it("fails on the lab's starting state (no VirtualService for httpbin)", async () => {
      const r = await run('add-retries', start);
      expectFailed(r);
      expect(failure(r, 'L07.VS').hint).toMatch(/retries/);
    });

    it('fails on attempts: 0 (retries disabled)', async () => {
      const r = await run(
        'add-retries',
        withChanges(start, [httpbinVs({ retries: { ...lessonRetries, attempts: 0 } })]),
      );
      expect(failure(r, 'L07.RETRY_ATTEMPTS').hint).toMatch(/`attempts: 0` disables retries entirely/);
    });

    it('fails when retryOn does not cover a plain 500', async () => {
      const r = await run(
        'add-retries',
        withChanges(start, [httpbinVs({ retries: { ...lessonRetries, retryOn: 'connect-failure,gateway-error' } })]),
      );
      const f = failure(r, 'L07.RETRY_ON');
      expect(f.actual).toBe('retryOn: connect-failure,gateway-error');
      expect(f.hint).toMatch(/do not cover a plain 500.*retryOn: 5xx/);
    });

    it('fails on retriable-status-codes without the codes', async () => {
      const r = await run(
        'add-retries',
        withChanges(start, [httpbinVs({ retries: { attempts: 3, retryOn: 'retriable-status-codes' } })]),
      );
      expect(failure(r, 'L07.RETRY_ON').hint).toMatch(/needs the codes themselves/);
    });

    it('fails when retryOn is left out (the defaults do not retry 500)', async () => {
      const r = await run('add-retries', withChanges(start, [httpbinVs({ retries: { attempts: 3 } })]));
      expect(failure(r, 'L07.RETRY_ON').actual).toMatch(/retryOn not set/);
    });

    it('fails when retries are meant to mask an abort injected on the same hop', async () => {
      const fault = { abort: { httpStatus: 500, percentage: { value: 50 } } };
      const r = await run('add-retries', withChanges(start, [httpbinVs({ retries: lessonRetries, fault })]));
      expect(failure(r, 'L07.RETRY_SUCCESS').hint).toMatch(/fault filter answers before the router/);
    });

    it('fails when the curl pod has no sidecar (nobody retries)', async () => {
      const r = await run(
        'add-retries',
        curlWithoutSidecar(withChanges(start, [httpbinVs({ retries: lessonRetries })])),
      );
      expect(failure(r, 'L07.RETRY_SUCCESS').hint).toMatch(/curl pod has a sidecar/);
      // httpbin's sidecar alone reports 500s, so "destination > source" would hold without any retry.
      expect(failure(r, 'L07.PROM_RETRIED_500S').hint).toMatch(/curl pod has no sidecar/);
    });

    it('fails when curl lost its sidecar after earlier passes, although the totals still show retries', async () => {
      const solved = withChanges(start, [httpbinVs({ retries: lessonRetries })]);
      const r = await afterEarlierPasses('add-retries', solved, curlWithoutSidecar(solved));
      const f = failure(r, 'L07.PROM_RETRIED_500S');
      // Totals: destination (with the earlier retries) far above source; this attempt's calls: none client-reported.
      const m = /destination (\d+) → \d+ \(\+[1-9]\d*\), source (\d+) → \2 \(\+0\); none of them client-reported$/.exec(
        f.actual ?? '',
      );
      expect(m, f.actual).not.toBeNull();
      expect(Number(m?.[1])).toBeGreaterThan(Number(m?.[2]));
      expect(f.hint).toMatch(/curl pod has no sidecar/);
    });
  });
});
