import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineCheck, fail, NotYetError, pass, warn, type StepCheck } from './check-api';
import { checkResultSchema } from './check-result';
import { buildRegistry } from './registry';
import { runStepCheck, withDefaultNext } from './run-step-check';
import { baselineCluster, startFakeKubeApi, type FakeKubeApi } from './testing';

const readsPods = defineCheck({
  labId: 'lab',
  stepId: 'pods',
  kind: 'state',
  async run({ cluster }) {
    const pods = await cluster.pods('default', 'app=reviews');
    return [
      pods.length === 3
        ? pass('L01.PODS', 'three reviews pods')
        : fail('L01.PODS', 'three reviews pods', { expected: '3', actual: String(pods.length) }),
    ];
  },
});
const checks: StepCheck[] = [
  readsPods,
  defineCheck({ labId: 'lab', stepId: 'throws', kind: 'state', run: () => Promise.reject(new TypeError('boom')) }),
  defineCheck({ labId: 'lab', stepId: 'empty', kind: 'state', run: () => Promise.resolve([]) }),
  defineCheck({
    labId: 'lab',
    stepId: 'warns',
    kind: 'state',
    run: () => Promise.resolve([pass('L01.NS_INTRO', 'a'), warn('L01.ALREADY_INJECTED', 'b', { hint: 'note' })]),
  }),
  defineCheck({
    labId: 'lab',
    stepId: 'not-yet',
    kind: 'probe',
    run: () => Promise.reject(new NotYetError(fail('PROBE.NO_POD', 'pod', { hint: 'deploy it' }))),
  }),
  // Ignores its signal on purpose: the runner must still answer at the deadline.
  defineCheck({ labId: 'lab', stepId: 'hangs', kind: 'probe', run: () => new Promise(() => undefined) }),
  defineCheck({
    labId: 'lab',
    stepId: 'polls',
    kind: 'probe',
    async run({ poll }) {
      let n = 0;
      const r = await poll(() => Promise.resolve(++n), {
        until: (v) => v >= 3,
        timeoutMs: 10_000,
        intervalMs: 1,
        passesInARow: 1,
      });
      return [r.ok ? pass('L01.PROXY_STATUS', `converged after ${r.attempts}`) : fail('L01.PROXY_STATUS', 'no', {})];
    },
  }),
  defineCheck({
    labId: 'lab',
    stepId: 'observes',
    kind: 'telemetry',
    async run({ observe }) {
      observe(0.4, 'a first read', 'Prometheus');
      // The last observation wins.
      observe(0.31, '31% of requests reached reviews v3', 'Prometheus istio_requests_total');
      return [pass('L01.PROXY_STATUS', 'read')];
    },
  }),
  defineCheck({
    labId: 'lab',
    stepId: 'observes-badly',
    kind: 'telemetry',
    async run({ observe }) {
      observe(Number.NaN, 'nothing', 'Prometheus');
      return [pass('L01.PROXY_STATUS', 'read')];
    },
  }),
];
const registry = buildRegistry(checks);
let api: FakeKubeApi;
const run = (stepId: string, extra: Partial<Parameters<typeof runStepCheck>[0]> = {}) =>
  runStepCheck({
    labId: 'lab',
    stepId,
    kubeconfig: { kind: 'file', path: api.kubeconfigPath },
    registry,
    declaredKind: () => undefined,
    ...extra,
  });

beforeAll(async () => {
  api = await startFakeKubeApi({ objects: baselineCluster() });
});
afterAll(async () => {
  await api.close();
});

describe('runStepCheck', () => {
  it('passes and returns a result that matches the schema', async () => {
    const r = await run('pods');
    expect(r).toMatchObject({ outcome: 'passed', kind: 'state', labId: 'lab', stepId: 'pods' });
    expect(checkResultSchema.parse(r)).toEqual(r);
  });
  it('reads a kubeconfig given as a string', async () => {
    expect((await run('pods', { kubeconfig: { kind: 'string', yaml: api.kubeconfigYaml } })).outcome).toBe('passed');
  });
  it('without a cluster: error no-cluster with the learner sentence', async () => {
    const r = await run('pods', { kubeconfig: { kind: 'none' } });
    expect(r.outcome).toBe('error');
    expect(r.error?.code).toBe('no-cluster');
    expect(r.summary).toBe('No cluster is attached to this environment, so this step cannot be checked.');
  });
  it('an unreadable kubeconfig is no-cluster, naming the file', async () => {
    const r = await run('pods', { kubeconfig: { kind: 'file', path: '/nonexistent/kubeconfig' } });
    expect(r.error).toMatchObject({ code: 'no-cluster' });
    expect(r.error?.message).toContain('/nonexistent/kubeconfig');
    // Not the learner's "no cluster attached": an operator with a wrong path is told what is wrong.
    expect(r.summary).toMatch(/^The cluster's kubeconfig cannot be used \(.*\/nonexistent\/kubeconfig/);
  });
  it('unknown steps are no-check; steps declared none pass without a cluster', async () => {
    expect((await run('missing')).error?.code).toBe('no-check');
    const r = await run('explore', { declaredKind: () => 'none', kubeconfig: { kind: 'none' } });
    expect(r).toMatchObject({ outcome: 'passed', kind: 'none', assertions: [] });
  });
  it('RBAC refusal is forbidden, not a failed step', async () => {
    const local = await startFakeKubeApi({ objects: baselineCluster() });
    local.forbid({ resource: 'pods', namespace: 'default' });
    const r = await run('pods', { kubeconfig: { kind: 'file', path: local.kubeconfigPath } });
    await local.close();
    expect(r).toMatchObject({ outcome: 'error', error: { code: 'forbidden' } });
  });
  it('a wrong token is forbidden too (401)', async () => {
    const yaml = api.kubeconfigYaml.replace('fake-checker-token', 'wrong');
    expect((await run('pods', { kubeconfig: { kind: 'string', yaml } })).error?.code).toBe('forbidden');
  });
  it('a cluster that is gone is unreachable', async () => {
    const local = await startFakeKubeApi();
    const path = join(mkdtempSync(join(tmpdir(), 'gone-')), 'kubeconfig');
    writeFileSync(path, local.kubeconfigYaml);
    await local.close();
    const r = await run('pods', { kubeconfig: { kind: 'file', path } });
    expect(r).toMatchObject({ outcome: 'error', error: { code: 'unreachable' } });
    expect(r.summary).toContain('not marked wrong');
  });
  it('carries what the check observed into the result, for judging a prediction', async () => {
    const r = await run('observes');
    expect(r.outcome).toBe('passed');
    expect(r.observed).toEqual({ value: 0.31, display: '31% of requests reached reviews v3', source: 'Prometheus istio_requests_total' });
    expect(checkResultSchema.parse(r).observed?.value).toBe(0.31);
    expect((await run('pods')).observed).toBeUndefined();
  });

  it('a bad observation is a bug in the check (internal), not a failed step', async () => {
    const r = await run('observes-badly');
    expect(r.outcome).toBe('error');
    expect(r.error).toMatchObject({ code: 'internal', message: expect.stringContaining('ctx.observe: value must be a finite number') });
  });

  it('a slow API server ends in timeout at the deadline', async () => {
    const local = await startFakeKubeApi({ objects: baselineCluster() });
    local.setLatency(3_000);
    const started = Date.now();
    const r = await run('pods', { kubeconfig: { kind: 'file', path: local.kubeconfigPath }, timeoutMs: 300 });
    expect(Date.now() - started).toBeLessThan(2_500);
    expect(r.error?.code).toBe('timeout');
    await local.close();
  });
  it('a check that ignores its signal still answers at the deadline', async () => {
    expect((await run('hangs', { timeoutMs: 200 })).error?.code).toBe('timeout');
  });
  it('caller cancellation stops the check', async () => {
    const controller = new AbortController();
    const pending = run('hangs', { signal: controller.signal });
    controller.abort();
    expect((await pending).error?.code).toBe('timeout');
  });
  it('a bug in a check is internal and logged', async () => {
    const logged: string[] = [];
    const log = {
      debug: () => undefined,
      info: () => undefined,
      warn: (_f: Record<string, unknown>, m: string) => logged.push(m),
    };
    const r = await run('throws', { log });
    expect(r).toMatchObject({ outcome: 'error', error: { code: 'internal', message: 'boom' } });
    expect(logged).toEqual(['check failed internally']);
    expect((await run('empty')).error?.message).toContain('made no assertion');
  });
  it('warnings do not fail a step; NotYetError is a failed step with its hint', async () => {
    const w = await run('warns');
    expect(w.outcome).toBe('passed');
    expect(w.summary).toContain('1 note');
    const n = await run('not-yet');
    expect(n).toMatchObject({ outcome: 'failed', assertions: [{ code: 'PROBE.NO_POD', hint: 'deploy it' }] });
  });
  it('polls converge without waiting out the budget', async () => {
    const r = await run('polls');
    expect(r.assertions[0]?.title).toBe('converged after 3');
  });
});

describe('withDefaultNext', () => {
  it('derives a kubectl get from the path of a failing assertion that has no next', () => {
    expect(withDefaultNext(fail('L01.PODS', 't', { path: 'VirtualService default/reviews .spec.http[0]' })).next).toBe(
      'kubectl get virtualservice reviews -n default -o yaml',
    );
    expect(withDefaultNext(fail('L01.PODS', 't', { path: 'Namespace intro .metadata.labels' })).next).toBe(
      'kubectl get namespace intro -o yaml',
    );
    expect(withDefaultNext(fail('L01.PODS', 't', { path: 'VirtualService default/reviews', next: 'mine' })).next).toBe(
      'mine',
    );
    expect(withDefaultNext(pass('L01.PODS', 't', { path: 'Gateway intro/g' })).next).toBeUndefined();
  });
});
