import { describe, expect, it } from 'vitest';
import type { Telemetry } from '../istio-schemas';
import { reportsTo, traceContextFor, tracingFor } from './tracing';

const tel = (namespace: string, name: string, spec: Telemetry['spec'], created = '2026-01-01T00:00:00Z'): Telemetry =>
  ({ apiVersion: 'telemetry.istio.io/v1', kind: 'Telemetry', metadata: { namespace, name, creationTimestamp: created }, spec }) as Telemetry;
const productpage = { namespace: 'default', labels: { app: 'productpage' } };
const meshDefault = tel('istio-system', 'mesh-default', { tracing: [{ providers: [{ name: 'jaeger' }], randomSamplingPercentage: 100, customTags: { lab: { literal: { value: 'istio-workshop' } } } }] });

describe('tracingFor', () => {
  it('without Telemetry: meshConfig default providers (none here) and the install sampling', () => {
    expect(tracingFor([], productpage)).toMatchObject({ providers: [], samplingPercentage: 100, customTags: {} });
    expect(tracingFor([], productpage, { defaultProviders: ['zipkin'], defaultSampling: 1 })).toMatchObject({ providers: ['zipkin'], samplingPercentage: 1 });
  });
  it('a root Telemetry applies to every namespace; a namespace one overrides what it sets and merges tags', () => {
    const ns = tel('default', 'ns', { tracing: [{ randomSamplingPercentage: 10, customTags: { team: { header: { name: 'x-team' } } } }] });
    const t = tracingFor([meshDefault, ns], productpage);
    expect(t).toMatchObject({ providers: ['jaeger'], samplingPercentage: 10, customTags: { lab: 'istio-workshop', team: '<header x-team>' } });
    expect(t.from.map((f) => f.level)).toEqual(['root', 'namespace']);
  });
  it('reports only to a provider meshConfig defines, and not with disableSpanReporting', () => {
    expect(reportsTo(tracingFor([meshDefault], productpage), 'jaeger', ['jaeger'])).toBe(true);
    expect(reportsTo(tracingFor([meshDefault], productpage), 'jaeger', ['zipkin'])).toBe(false);
    const off = tel('default', 'off', { tracing: [{ disableSpanReporting: true }] });
    expect(reportsTo(tracingFor([meshDefault, off], productpage), 'jaeger', ['jaeger'])).toBe(false);
  });
  it('a newer selector-less Telemetry beside an older one in the same namespace is ignored (IST0160)', () => {
    const older = tel('istio-system', 'a', { metrics: [{ providers: [{ name: 'prometheus' }] }] }, '2025-01-01T00:00:00Z');
    const t = tracingFor([older, meshDefault], productpage);
    expect(t.providers).toEqual([]);
    expect(t.ignored.map((x) => x.metadata.name)).toEqual(['mesh-default']);
  });
});

describe('traceContextFor', () => {
  const providers = [{ name: 'jaeger', opentelemetry: { service: 'jaeger-collector.istio-system.svc.cluster.local', port: 4317 } }, { name: 'zipkin', zipkin: { service: 'zipkin.istio-system.svc.cluster.local', port: 9411 } }];
  const withTracing = (entry: NonNullable<Telemetry['spec']['tracing']>[number]) => traceContextFor(tracingFor([tel('istio-system', 'mesh-default', { tracing: [entry] })], productpage), providers);
  it('an OpenTelemetry provider writes traceparent, sampled or not; Zipkin writes x-b3-*', () => {
    expect(withTracing({ providers: [{ name: 'jaeger' }], randomSamplingPercentage: 0 })).toMatchObject({ writes: true, format: 'w3c', headers: ['traceparent'], samplingPercentage: 0 });
    expect(withTracing({ providers: [{ name: 'zipkin' }, { name: 'jaeger' }] })).toMatchObject({ writes: true, format: 'b3', provider: 'zipkin' });
  });
  it('writes nothing without a provider, with an undefined one, with span reporting or context propagation off', () => {
    expect(traceContextFor(tracingFor([], productpage), providers)).toEqual({ writes: false, reason: 'noProvider' });
    expect(withTracing({ providers: [{ name: 'jeager' }] })).toEqual({ writes: false, reason: 'unknownProvider', provider: 'jeager' });
    expect(withTracing({ providers: [{ name: 'jaeger' }], disableSpanReporting: true })).toMatchObject({ writes: false, reason: 'reportingDisabled' });
    expect(withTracing({ providers: [{ name: 'jaeger' }], disableContextPropagation: true })).toMatchObject({ writes: false, reason: 'propagationDisabled' });
  });
});
