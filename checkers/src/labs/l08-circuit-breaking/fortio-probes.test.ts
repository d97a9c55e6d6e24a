import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baselineCluster, startCheckHarness, type CheckHarness } from '../../testing';
import { expectOnlyReads, expectPassed, failure } from '../shared-check-testing';
import { introApps } from '../shared-lab-fixtures';

/** What `fortio load` prints (results on stdout), trimmed to the lines a check reads plus context. */
function fortioOutput(calls: number, codes: Record<string, number>): string {
  const lines = [
    `Fortio 1.69.5 running at 0 queries per second, 2->2 procs, for ${calls} calls: http://httpbin:8000/get`,
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
  const calls: string[][] = [];
  beforeAll(async () => {
    h = await startCheckHarness({ objects: [...baselineCluster(), ...introApps()] });
    h.api.setExecHandler((call) => {
      calls.push(call.command);
      const n = Number(call.command[call.command.indexOf('-n') + 1]);
      return { stdout: fortioOutput(n, answer), exitCode: 0 };
    });
    h.prometheus.setHandler((q) => (q.includes('response_flags="UO"') && answer['503'] ? [{ metric: {}, value: answer['503'] }] : []));
  });
  afterAll(() => h.close());

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
    expectPassed(await h.run('l08-circuit-breaking', 'trip-breaker'));
  });

  it('trip-breaker fails when nothing overflows (DR not applied)', async () => {
    answer = { '200': 30 };
    const r = await h.run('l08-circuit-breaking', 'trip-breaker');
    expect(failure(r, 'L08.BREAKER_TRIPS').hint).toMatch(/host is httpbin in namespace intro/);
    failure(r, 'L08.PROM_OVERFLOW');
  });
});
