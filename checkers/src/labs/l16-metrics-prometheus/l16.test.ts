// L16's checks against states built from the lab's own scripts, with traffic and Prometheus from the
// mesh model: each passes on its solution and on other valid forms, fails on the start and on the
// common mistakes with the hint that names the cause; the split step reports what it observed.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../cluster-reader';
import { baselineCluster, telemetry } from '../../testing';
import { expectFailed, expectOnlyReads, expectPassed, failure } from '../../testing/check-expectations';
import { startMeshHarness, type MeshHarness } from '../../testing/mesh-harness';
import { SolutionRunner } from '../../testing/solution-runner';

const labDir = fileURLToPath(new URL('../../../../labs/l16-metrics-prometheus/', import.meta.url));
const l03 = fileURLToPath(new URL('../../../../labs/l03-subsets/solutions/', import.meta.url));
const runner = new SolutionRunner(baselineCluster());
runner.runScript(path.join(labDir, 'setup.sh'));
const start = runner.state();
runner.runScript(path.join(labDir, 'solutions', 'custom-tag.sh'));
const tagged = runner.state();
const allToV1 = (() => {
  const r = new SolutionRunner(start);
  r.runScript(path.join(l03, 'destination-rules.sh'));
  r.runScript(path.join(l03, 'route-to-v1.sh'));
  return r.state();
})();

const hostTag = (match: Record<string, string>, value = 'request.host') => ({
  metrics: [{ providers: [{ name: 'prometheus' }], overrides: [{ match, tagOverrides: { request_host: { value } } }] }],
});
const created = (o: KubeObject, iso: string): KubeObject => ({ ...o, metadata: { ...o.metadata, creationTimestamp: iso } });

describe('l16-metrics-prometheus', () => {
  let m: MeshHarness;
  beforeAll(async () => {
    m = await startMeshHarness('l16-metrics-prometheus', start);
  });
  afterAll(() => m.close());

  it('generate-traffic: passes when Prometheus counts the check\'s page loads, and only reads the cluster', async () => {
    expectPassed(await m.run('generate-traffic', start));
    expectOnlyReads(m.h);
  });
  it('generate-traffic: fails, saying so, while Prometheus has not scraped the new requests', async () => {
    const r = await m.run('generate-traffic', start, false, { scrapeLag: true });
    expect(failure(r, 'L16.PROM_TRAFFIC').actual).toMatch(/^0 before, 0 after/);
  });

  it('reviews-share: measures the split by version and reports the v3 share it observed', async () => {
    const r = await m.run('reviews-share', start);
    expectPassed(r);
    expect(r.observed?.source).toMatch(/by destination_version/);
    expect(r.observed?.value).toBeGreaterThan(15);
    expect(r.observed?.value).toBeLessThan(52);
    expect(r.observed?.display).toMatch(/^\d+% \(v3 served \d+ of this check's \d+ reviews requests: v1 \d+, v2 \d+, v3 \d+\)$/);
  });
  it('reviews-share: observes 0% when a VirtualService left from an earlier lab sends every request to v1', async () => {
    const r = await m.run('reviews-share', allToV1);
    expectPassed(r);
    expect(r.observed?.value).toBe(0);
  });

  it('custom-tag: passes on the solution and with the tag at workload or mesh level', async () => {
    expectPassed(await m.run('custom-tag', tagged));
    const workload = telemetry('default', 'productpage-host', { selector: { matchLabels: { app: 'productpage' } }, ...hostTag({ metric: 'REQUEST_COUNT' }) });
    expectPassed(await m.run('custom-tag', [...start, workload]));
    expectPassed(await m.run('custom-tag', [...start, telemetry('istio-system', 'mesh-default', hostTag({ metric: 'ALL_METRICS' }))]));
  });
  it('custom-tag: fails on the start', async () => {
    expectFailed(await m.run('custom-tag', start));
  });
  it('custom-tag: names the older selector-less Telemetry that hides the new one (IST0160)', async () => {
    const older = created(telemetry('default', 'a-mesh', { metrics: [] }), '2026-01-01T00:00:00Z');
    const newer = created(telemetry('default', 'namespace-metrics', hostTag({ metric: 'REQUEST_COUNT', mode: 'SERVER' })), '2026-02-01T00:00:00Z');
    const f = failure(await m.run('custom-tag', [...start, older, newer]), 'L16.TAG');
    expect(f.hint).toMatch(/uses only the oldest, Telemetry default\/a-mesh, and ignores Telemetry default\/namespace-metrics \(IST0160\)/);
  });
  it.each([
    [{ metric: 'REQUEST_DURATION' }, 'request.host', /matches REQUEST_DURATION, not REQUEST_COUNT/],
    [{ metric: 'REQUEST_COUNT', mode: 'CLIENT' }, 'request.host', /mode CLIENT only/],
    [{ metric: 'REQUEST_COUNT' }, 'request.path', /takes its value from request.path/],
  ])('custom-tag: explains the near miss %j %s', async (match, value, hint) => {
    const r = await m.run('custom-tag', [...start, telemetry('default', 'namespace-metrics', hostTag(match, value))]);
    expect(failure(r, 'L16.TAG').hint).toMatch(hint);
  });
});
