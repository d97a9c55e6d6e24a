import { describe, expect, it } from 'vitest';
import type { Telemetry } from '../istio-schemas';
import { accessLoggingFor, compileLogFilter, logsToStdout } from './access-logging';

const tel = (namespace: string, name: string, spec: Telemetry['spec'], created = '2026-01-01T00:00:00Z'): Telemetry =>
  ({ apiVersion: 'telemetry.istio.io/v1', kind: 'Telemetry', metadata: { namespace, name, creationTimestamp: created }, spec }) as Telemetry;
const httpbin = { namespace: 'intro', labels: { app: 'httpbin' } };
const mesh = { accessLogFile: '/dev/stdout' };
const errorsOnly = tel('intro', 'access-log-errors', { accessLogging: [{ providers: [{ name: 'envoy' }], filter: { expression: 'response.code >= 400' } }] });

describe('accessLoggingFor', () => {
  it('falls back to meshConfig.accessLogFile without Telemetry access logging', () => {
    expect(accessLoggingFor([tel('intro', 'metrics-only', { metrics: [{ providers: [{ name: 'prometheus' }] }] })], httpbin, 'SERVER', mesh)).toEqual({ by: 'meshConfig', file: '/dev/stdout' });
    expect(logsToStdout(accessLoggingFor([], httpbin, 'SERVER', {}), 200)).toBe(false);
  });
  it('a namespace Telemetry replaces meshConfig for its proxies, and its filter decides', () => {
    const l = accessLoggingFor([errorsOnly], httpbin, 'SERVER', mesh);
    expect(l).toMatchObject({ by: 'telemetry', level: 'namespace', providers: ['envoy'], filter: 'response.code >= 400' });
    expect(logsToStdout(l, 418)).toBe(true);
    expect(logsToStdout(l, 200)).toBe(false);
  });
  it('does not reach other namespaces, and a workload Telemetry overrides the namespace one', () => {
    expect(accessLoggingFor([errorsOnly], { namespace: 'default', labels: {} }, 'SERVER', mesh).by).toBe('meshConfig');
    const off = tel('intro', 'httpbin-off', { selector: { matchLabels: { app: 'httpbin' } }, accessLogging: [{ providers: [{ name: 'envoy' }], disabled: true }] });
    expect(logsToStdout(accessLoggingFor([errorsOnly, off], httpbin, 'SERVER', mesh), 500)).toBe(false);
  });
  it('ignores a newer selector-less Telemetry next to an older one in the same namespace (IST0160)', () => {
    const older = tel('intro', 'a-metrics', { metrics: [{ providers: [{ name: 'prometheus' }] }] }, '2025-01-01T00:00:00Z');
    expect(accessLoggingFor([older, errorsOnly], httpbin, 'SERVER', mesh).by).toBe('meshConfig');
  });
  it('honours match.mode, and a provider name nobody defined logs nothing', () => {
    const clientOnly = tel('intro', 'c', { accessLogging: [{ providers: [{ name: 'envoy' }], match: { mode: 'CLIENT' }, filter: { expression: 'response.code >= 400' } }] });
    expect(accessLoggingFor([clientOnly], httpbin, 'SERVER', mesh).by).toBe('meshConfig');
    const typo = tel('intro', 't', { accessLogging: [{ providers: [{ name: 'envoyy' }] }] });
    expect(logsToStdout(accessLoggingFor([typo], httpbin, 'SERVER', mesh), 500)).toBe(false);
  });
});

describe('compileLogFilter', () => {
  it('reads comparisons joined by && and ||', () => {
    const f = compileLogFilter('response.code >= 400 && response.code != 404 || response.code == 200');
    expect(f.ok && [f.test({ responseCode: 418 }), f.test({ responseCode: 404 }), f.test({ responseCode: 200 }), f.test({ responseCode: 302 })]).toEqual([true, false, true, false]);
  });
  it('refuses what it cannot read (a filter that does not compile logs nothing)', () => {
    expect(compileLogFilter('response.code >= "400"')).toMatchObject({ ok: false });
    expect(logsToStdout({ by: 'telemetry', telemetry: errorsOnly, level: 'namespace', providers: ['envoy'], disabled: false, filter: 'code >= 400' }, 500)).toBe(false);
  });
});
