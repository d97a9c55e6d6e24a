import { describe, expect, it } from 'vitest';
import { peerAuthenticationSchema, type PeerAuthentication } from '../istio-schemas';
import { clientUsesMtls, effectiveMtls, serverAccepts } from './effective-mtls';

function pa(ns: string, name: string, spec: Record<string, unknown>, created = '2026-01-01T00:00:00Z'): PeerAuthentication {
  return peerAuthenticationSchema.parse({ apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { namespace: ns, name, creationTimestamp: created }, spec });
}

const httpbinFoo = { namespace: 'foo', labels: { app: 'httpbin', version: 'v1' } };

describe('effective mTLS mode', () => {
  it('is PERMISSIVE when nothing is set', () => {
    expect(effectiveMtls([], httpbinFoo, 8080)).toEqual({ mode: 'PERMISSIVE', ignored: [] });
  });

  it('takes workload over namespace over mesh-wide, and UNSET inherits', () => {
    const mesh = pa('istio-system', 'default', { mtls: { mode: 'STRICT' } });
    const ns = pa('foo', 'default', { mtls: { mode: 'PERMISSIVE' } });
    const unset = pa('foo', 'httpbin', { selector: { matchLabels: { app: 'httpbin' } }, mtls: { mode: 'UNSET' } });
    expect(effectiveMtls([mesh], httpbinFoo, 8080)).toMatchObject({ mode: 'STRICT', from: { level: 'root' } });
    expect(effectiveMtls([mesh, ns], httpbinFoo, 8080)).toMatchObject({ mode: 'PERMISSIVE', from: { level: 'namespace' } });
    expect(effectiveMtls([mesh, unset], httpbinFoo, 8080)).toMatchObject({ mode: 'STRICT', from: { level: 'root' } });
    // A mesh-wide policy in another namespace than the root one is only that namespace's.
    expect(effectiveMtls([pa('default', 'default', { mtls: { mode: 'STRICT' } })], httpbinFoo, 8080).mode).toBe('PERMISSIVE');
  });

  it('applies port-level settings by container port, on workload policies only', () => {
    const workload = pa('bar', 'httpbin', { selector: { matchLabels: { app: 'httpbin' } }, mtls: { mode: 'STRICT' }, portLevelMtls: { '8080': { mode: 'DISABLE' } } });
    const bar = { namespace: 'bar', labels: { app: 'httpbin' } };
    expect(effectiveMtls([workload], bar, 8080)).toMatchObject({ mode: 'DISABLE', from: { portLevel: true } });
    expect(effectiveMtls([workload], bar, 9090)).toMatchObject({ mode: 'STRICT', from: { portLevel: false } });
    // Keyed by the Service port (8000) it never matches the port the workload listens on.
    const byServicePort = pa('bar', 'httpbin', { selector: { matchLabels: { app: 'httpbin' } }, mtls: { mode: 'STRICT' }, portLevelMtls: { '8000': { mode: 'DISABLE' } } });
    expect(effectiveMtls([byServicePort], bar, 8080).mode).toBe('STRICT');
    const nsWide = pa('bar', 'default', { mtls: { mode: 'STRICT' }, portLevelMtls: { '8080': { mode: 'DISABLE' } } });
    expect(effectiveMtls([nsWide], bar, 8080).mode).toBe('STRICT');
  });

  it('lets the oldest of two namespace-wide policies win and reports the other', () => {
    const older = pa('foo', 'a-permissive', { mtls: { mode: 'PERMISSIVE' } }, '2026-01-01T00:00:00Z');
    const newer = pa('foo', 'default', { mtls: { mode: 'STRICT' } }, '2026-02-01T00:00:00Z');
    const d = effectiveMtls([newer, older], httpbinFoo, 8080);
    expect(d.mode).toBe('PERMISSIVE');
    expect(d.ignored.map((p) => p.metadata.name)).toEqual(['default']);
  });
});

describe('auto mTLS', () => {
  it('talks mTLS between sidecars unless the server disables it or a DestinationRule overrides it', () => {
    expect(clientUsesMtls({ clientHasProxy: true, serverHasProxy: true, serverMode: 'STRICT' })).toBe(true);
    expect(clientUsesMtls({ clientHasProxy: false, serverHasProxy: true, serverMode: 'PERMISSIVE' })).toBe(false);
    expect(clientUsesMtls({ clientHasProxy: true, serverHasProxy: false, serverMode: 'PERMISSIVE' })).toBe(false);
    expect(clientUsesMtls({ clientHasProxy: true, serverHasProxy: true, serverMode: 'DISABLE' })).toBe(false);
    expect(clientUsesMtls({ clientHasProxy: true, serverHasProxy: true, serverMode: 'STRICT', destinationRuleTlsMode: 'DISABLE' })).toBe(false);
    expect(serverAccepts('STRICT', false)).toBe(false);
    expect(serverAccepts('PERMISSIVE', false)).toBe(true);
  });
});
