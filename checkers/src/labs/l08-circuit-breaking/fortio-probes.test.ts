import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { baselineCluster, startCheckHarness, type CheckHarness } from '../../testing';
import { expectOnlyReads, expectPassed, failure } from '../../testing/check-expectations';
import { introApps } from '../../testing/testdata/lab-fixtures';
import { fortioVersion } from '../../testing/testdata/lab-fixtures';

/** What `fortio load` prints (results on stdout), trimmed to the lines a check reads plus context. */
function fortioOutput(calls: number, codes: Record<string, number>): string {
  const lines = [
    `Fortio ${fortioVersion} running at 0 queries per second, 2->2 procs, for ${calls} calls: http://httpbin:8000/get`,
    'Starting at max qps with 3 thread(s) [gomax 2] for exactly 30 calls (10 per thread + 0)',
    `Ended after 61.2ms : ${calls} calls. qps=490.2`,
    'Sockets used: 4 (for perfect keepalive, would be 3)',
    'IP addresses distribution:',
    '10.96.74.21:8000: 4',
  ];
  for (const [code, n] of Object.entries(codes)) lines.push(`Code ${code} : ${n} (${((n / calls) * 100).toFixed(1)} %)`);
  lines.push(`All done ${calls} calls (plus 0 warmup) 5.112 ms avg, 490.2 qps`);
  return lines.join('\n');
}

describe('l08-circuit-breaking fortio probes', () => {
  let h: CheckHarness;
  let answer: Record<string, number> = {};
  // The UO series fortio-deploy's sidecar reports: each load adds its 503s (the overflowed calls).
  let overflowed = 0;
  const calls: string[][] = [];
  beforeAll(async () => {
    h = await startCheckHarness({ objects: [...baselineCluster(), ...introApps()] });
    h.api.setExecHandler((call) => {
      calls.push(call.command);
      const n = Number(call.command[call.command.indexOf('-n') + 1]);
      overflowed += answer['503'] ?? 0;
      return { stdout: fortioOutput(n, answer), exitCode: 0 };
    });
    h.prometheus.setHandler((q) => (q.includes('response_flags="UO"') && overflowed > 0 ? [{ metric: {}, value: overflowed }] : []));
  });
  afterAll(() => h.close());
  beforeEach(() => {
    overflowed = 0;
  });

  it('single-connection passes when all 20 calls are 200, running fortio in the fortio pod', async () => {
    answer = { '200': 20 };
    expectPassed(await h.run('l08-circuit-breaking', 'single-connection'));
    expect(calls.at(-1)).toEqual(expect.arrayContaining(['fortio', 'load', '-c', '1', '-n', '20']));
    expectOnlyReads(h);
  });

  it('single-connection fails with the ejection hint on 503s', async () => {
    answer = { '200': 15, '503': 5 };
    const r = await h.run('l08-circuit-breaking', 'single-connection');
    expect(failure(r, 'L08.SINGLE_CONNECTION_OK').hint).toMatch(/ejected/);
  });

  it('trip-breaker passes on a mix of 200 and 503 with UO in Prometheus', async () => {
    answer = { '200': 19, '503': 11 };
    const r = await h.run('l08-circuit-breaking', 'trip-breaker');
    expectPassed(r);
    expect(r.assertions.find((a) => a.code === 'L08.PROM_OVERFLOW')?.actual).toBe("0 before this check's requests, 11 after");
  });

  it('trip-breaker fails on overflows counted in earlier attempts when this run overflows nothing', async () => {
    overflowed = 250;
    answer = { '200': 30 };
    const r = await h.run('l08-circuit-breaking', 'trip-breaker');
    failure(r, 'L08.BREAKER_TRIPS');
    const f = failure(r, 'L08.PROM_OVERFLOW');
    expect(f.actual).toMatch(/^250 before this check's requests, still 250 after \d+ s$/);
    expect(f.hint).toMatch(/added no overflow.*maxConnections: 1 and http1MaxPendingRequests: 1/);
  });

  it('trip-breaker fails when nothing overflows (DR not applied)', async () => {
    answer = { '200': 30 };
    const r = await h.run('l08-circuit-breaking', 'trip-breaker');
    expect(failure(r, 'L08.BREAKER_TRIPS').hint).toMatch(/host is httpbin in namespace intro/);
    failure(r, 'L08.PROM_OVERFLOW');
  });
});
