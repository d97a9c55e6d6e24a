// L20's checks against states built from the lab's own scripts (SolutionRunner), with access logs
// written by the mesh model through the same access-logging rule: every check passes on its solution
// and other valid forms, fails on the start and on each common mistake with the hint that names it.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../cluster-reader';
import { baselineCluster, telemetry } from '../../testing';
import { expectFailed, expectOnlyReads, expectPassed, failure } from '../../testing/check-expectations';
import { startMeshHarness, type MeshHarness } from '../../testing/mesh-harness';
import { SolutionRunner } from '../../testing/solution-runner';

const labDir = fileURLToPath(new URL('../../../../labs/l20-access-logs/', import.meta.url));
const runner = new SolutionRunner(baselineCluster());
runner.runScript(path.join(labDir, 'setup.sh'));
const start = runner.state();
const after: Record<string, KubeObject[]> = {};
for (const step of ['read-access-log', 'errors-only', 'filtered-logs']) {
  runner.runScript(path.join(labDir, 'solutions', `${step}.sh`));
  after[step] = runner.state();
}

const errorsOnly = (ns: string, name: string, entry: Record<string, unknown>, extra: Record<string, unknown> = {}) => telemetry(ns, name, { accessLogging: [entry], ...extra });
const envoyFilter = { providers: [{ name: 'envoy' }], filter: { expression: 'response.code >= 400' } };
const created = (o: KubeObject, iso: string): KubeObject => ({ ...o, metadata: { ...o.metadata, creationTimestamp: iso } }) as KubeObject;

describe('l20-access-logs', () => {
  let m: MeshHarness;
  beforeAll(async () => {
    m = await startMeshHarness('l20-access-logs', start);
  });
  afterAll(() => m.close());

  describe('read-access-log', () => {
    it("passes on the start: meshConfig logs to stdout and httpbin's sidecar logs the check's request", async () => {
      const r = await m.run('read-access-log', start);
      expectPassed(r);
      expect(r.assertions.find((a) => a.code === 'L20.LINE_LOGGED')?.actual).toMatch(/a line for GET \/status\/200\?check=/);
      expectOnlyReads(m.h);
    });
    it('names the Telemetry that took over when the learner is a step ahead', async () => {
      const f = failure(await m.run('read-access-log', after['errors-only']!), 'L20.LINE_LOGGED');
      expect(f.hint).toMatch(/Telemetry intro\/access-log-errors configures access logging for httpbin/);
    });
  });

  describe('errors-only', () => {
    it('passes on the solution and on a workload Telemetry with the same filter', async () => {
      expectPassed(await m.run('errors-only', after['errors-only']!));
      expectPassed(await m.run('errors-only', [...start, errorsOnly('intro', 'httpbin-logs', { ...envoyFilter, filter: { expression: 'response.code >= 400 && response.code != 404' } }, { selector: { matchLabels: { app: 'httpbin' } } })]));
    });
    it('fails on the start', async () => {
      expectFailed(await m.run('errors-only', start));
    });
    it('names the wrong namespace, an unknown provider, a filter that does not compile and no filter', async () => {
      const hint = async (objects: KubeObject[]) => failure(await m.run('errors-only', [...start, ...objects]), 'L20.TELEMETRY').hint;
      expect(await hint([errorsOnly('default', 'access-log-errors', envoyFilter)])).toMatch(/is in namespace default.*Create it in intro/);
      expect(await hint([errorsOnly('intro', 'access-log-errors', { ...envoyFilter, providers: [{ name: 'envoy-file' }] })])).toMatch(/names provider "envoy-file".*built-in one is `envoy`/);
      expect(await hint([errorsOnly('intro', 'access-log-errors', { ...envoyFilter, filter: { expression: 'response.code >= "400"' } })])).toMatch(/filter cannot be read/);
      expect(await hint([errorsOnly('intro', 'access-log-errors', { providers: [{ name: 'envoy' }] })])).toMatch(/logs every request/);
    });
    it('names an older Telemetry in intro that hides the new one (IST0160)', async () => {
      const older = created(telemetry('intro', 'a-metrics', { metrics: [{ providers: [{ name: 'prometheus' }] }] }), '2025-01-01T00:00:00Z');
      const f = failure(await m.run('errors-only', [...after['errors-only']!, older]), 'L20.TELEMETRY');
      expect(f.hint).toMatch(/reads only the oldest, Telemetry intro\/a-metrics, and ignores Telemetry intro\/access-log-errors \(IST0160\)/);
    });
  });

  describe('filtered-logs', () => {
    it('passes after the solution: the 418 is logged, the 200 is not', async () => {
      expectPassed(await m.run('filtered-logs', after['filtered-logs']!));
    });
    it('fails on the start: the 200 is logged too', async () => {
      expect(failure(await m.run('filtered-logs', start), 'L20.OK_NOT_LOGGED').actual).toBe('it was logged');
    });
    it('fails when the filter does not compile: nothing is logged', async () => {
      const broken = [...start, errorsOnly('intro', 'access-log-errors', { ...envoyFilter, filter: { expression: 'code >= 400' } })];
      expect(failure(await m.run('filtered-logs', broken), 'L20.ERROR_LOGGED').actual).toBe('no such line');
    });
  });
});
