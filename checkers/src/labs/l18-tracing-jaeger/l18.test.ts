// L18's checks against states built from the lab's own scripts (SolutionRunner), with spans reported
// by the mesh model through the same tracing rule into the fake Jaeger: every check passes on its
// solution and other valid forms, fails on the start and on each common mistake with its hint.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../cluster-reader';
import { baselineCluster, telemetry } from '../../testing';
import { expectFailed, expectOnlyReads, expectPassed, failure } from '../../testing/check-expectations';
import { startMeshHarness, type MeshHarness } from '../../testing/mesh-harness';
import { SolutionRunner } from '../../testing/solution-runner';

const labDir = fileURLToPath(new URL('../../../../labs/l18-tracing-jaeger/', import.meta.url));
const runner = new SolutionRunner(baselineCluster());
runner.runScript(path.join(labDir, 'setup.sh'));
const start = runner.state();
const after: Record<string, KubeObject[]> = {};
for (const step of ['enable-tracing', 'find-traces', 'trace-headers', 'span-tag']) {
  runner.runScript(path.join(labDir, 'solutions', `${step}.sh`));
  after[step] = runner.state();
}

const tracingTel = (ns: string, name: string, entry: Record<string, unknown>, created?: string): KubeObject => {
  const t = telemetry(ns, name, { tracing: [entry] });
  return created ? ({ ...t, metadata: { ...t.metadata, creationTimestamp: created } } as KubeObject) : t;
};
const jaeger = { providers: [{ name: 'jaeger' }], randomSamplingPercentage: 100 };

describe('l18-tracing-jaeger', () => {
  let m: MeshHarness;
  beforeAll(async () => {
    m = await startMeshHarness('l18-tracing-jaeger', start);
  });
  afterAll(() => m.close());

  describe('enable-tracing', () => {
    it('passes on the solution and on a Telemetry of another name without sampling (demo profile: 100%)', async () => {
      expectPassed(await m.run('enable-tracing', after['enable-tracing']!));
      expectOnlyReads(m.h);
      expectPassed(await m.run('enable-tracing', [...start, tracingTel('istio-system', 'tracing', { providers: [{ name: 'jaeger' }] })]));
    });
    it('fails on the start', async () => {
      expectFailed(await m.run('enable-tracing', start));
    });
    it('names a Telemetry in default (the gateway does not trace), a provider typo and 0% sampling', async () => {
      const hint = async (o: KubeObject) => failure(await m.run('enable-tracing', [...start, o]), 'L18.TRACING').hint;
      expect(await hint(tracingTel('default', 'mesh-default', jaeger))).toMatch(/is in namespace default, so only its proxies trace/);
      expect(await hint(tracingTel('istio-system', 'mesh-default', { ...jaeger, providers: [{ name: 'jeager' }] }))).toMatch(/names provider "jeager", which meshConfig does not define/);
      expect(await hint(tracingTel('istio-system', 'mesh-default', { ...jaeger, randomSamplingPercentage: 0 }))).toMatch(/samples 0% of requests/);
    });
    it('names a second selector-less Telemetry in istio-system that istiod ignores (IST0160)', async () => {
      const older = { ...telemetry('istio-system', 'a-metrics', { metrics: [{ providers: [{ name: 'prometheus' }] }] }), metadata: { name: 'a-metrics', namespace: 'istio-system', creationTimestamp: '2025-01-01T00:00:00Z' } } as KubeObject;
      expect(failure(await m.run('enable-tracing', [...after['enable-tracing']!, older]), 'L18.TRACING').hint).toMatch(/ignores Telemetry istio-system\/mesh-default \(IST0160\)/);
    });
  });

  describe('find-traces', () => {
    it('passes after tracing is on and observes 6 spans for a trace without ratings', async () => {
      const r = await m.run('find-traces', after['find-traces']!);
      expectPassed(r);
      expect(r.observed?.value).toBe(6);
    });
    it('fails on the start: no spans reach Jaeger', async () => {
      expectFailed(await m.run('find-traces', start));
    });
    it('names the gateway when only namespace default traces', async () => {
      const f = failure(await m.run('find-traces', [...start, tracingTel('default', 'mesh-default', jaeger)]), 'L18.WHOLE_TRACE');
      expect(f.hint).toMatch(/trace starts at productpage/);
    });
  });

  describe('trace-headers', () => {
    const hint = async (objects: KubeObject[]) => failure(await m.run('trace-headers', objects), 'L18.TRACEPARENT').hint;
    it('passes on the solution, sampled or not (the proxies write traceparent for every request)', async () => {
      const r = await m.run('trace-headers', after['trace-headers']!);
      expectPassed(r);
      expect(r.assertions.find((a) => a.code === 'L18.TRACEPARENT')?.actual).toMatch(/^Traceparent: 00-[0-9a-f]{32}-[0-9a-f]{16}-01 \(trace [0-9a-f]{8}…, sampled\)$/);
      const unsampled = await m.run('trace-headers', [...start, tracingTel('istio-system', 'mesh-default', { ...jaeger, randomSamplingPercentage: 0 })]);
      expectPassed(unsampled);
      expect(unsampled.assertions.find((a) => a.code === 'L18.TRACEPARENT')?.actual).toMatch(/-00 \(trace .*not sampled\)$/);
    });
    it('fails on the start: X-Request-Id but no Traceparent', async () => {
      const r = await m.run('trace-headers', start);
      expectFailed(r);
      expect(r.assertions.find((a) => a.code === 'L18.REQUEST_ID')?.status).toBe('pass');
      expect(failure(r, 'L18.TRACEPARENT').hint).toMatch(/No proxy in intro traces/);
    });
    it('names a Telemetry in another namespace, a provider typo, disabled reporting and disabled propagation', async () => {
      expect(await hint([...start, tracingTel('default', 'mesh-default', jaeger)])).toMatch(/Telemetry default\/mesh-default traces, but it does not apply to namespace intro/);
      expect(await hint([...start, tracingTel('istio-system', 'mesh-default', { ...jaeger, providers: [{ name: 'jeager' }] })])).toMatch(/names provider "jeager", which meshConfig does not define/);
      expect(await hint([...start, tracingTel('istio-system', 'mesh-default', { ...jaeger, disableSpanReporting: true })])).toMatch(/disableSpanReporting: true/);
      expect(await hint([...start, tracingTel('istio-system', 'mesh-default', { ...jaeger, disableContextPropagation: true })])).toMatch(/disableContextPropagation: true \(Istio 1.30\)/);
    });
    it('names a Zipkin provider, whose proxies write X-B3-* instead', async () => {
      const withZipkin = start.map((o) => {
        if (o.kind !== 'ConfigMap' || o.metadata?.name !== 'istio' || o.metadata.namespace !== 'istio-system') return o;
        const cm = o as KubeObject & { data: Record<string, string> };
        const mesh = cm.data['mesh']!.replace('extensionProviders:\n', 'extensionProviders:\n- name: zipkin\n  zipkin:\n    port: 9411\n    service: zipkin.istio-system.svc.cluster.local\n');
        return { ...cm, data: { ...cm.data, mesh } };
      });
      expect(await hint([...withZipkin, tracingTel('istio-system', 'mesh-default', { providers: [{ name: 'zipkin' }], randomSamplingPercentage: 100 })])).toMatch(/X-B3-\* headers instead: the tracing of intro uses a Zipkin provider \("zipkin"\)/);
    });
  });

  describe('span-tag', () => {
    it('passes on the solution', async () => {
      expectPassed(await m.run('span-tag', after['span-tag']!));
    });
    it('fails on the start of the step', async () => {
      expectFailed(await m.run('span-tag', after['trace-headers']!));
    });
    it('names another value, and a tag set in a Telemetry that does not apply', async () => {
      const other = [...after['trace-headers']!, tracingTel('istio-system', 'mesh-default', { ...jaeger, customTags: { lab: { literal: { value: 'mine' } } } })];
      expect(failure(await m.run('span-tag', other), 'L18.CUSTOM_TAG').hint).toMatch(/has the value "mine"/);
      const elsewhere = [...after['trace-headers']!, tracingTel('bar', 'tags', { ...jaeger, customTags: { lab: { literal: { value: 'istio-workshop' } } } })];
      expect(failure(await m.run('span-tag', elsewhere), 'L18.CUSTOM_TAG').hint).toMatch(/Telemetry bar\/tags, which does not apply to productpage/);
    });
  });
});
