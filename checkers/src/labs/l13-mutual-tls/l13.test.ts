// L13's checks against states built from the lab's own scripts (SolutionRunner), with behaviour from
// the mesh model: every check passes on its solution and on other valid forms, fails on the start and
// on each common mistake with the hint that names its cause.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../cluster-reader';
import { baselineCluster, destinationRule, peerAuthentication } from '../../testing';
import { expectFailed, expectOnlyReads, expectPassed, failure } from '../../testing/check-expectations';
import { startMeshHarness, type MeshHarness } from '../../testing/mesh-harness';
import { SolutionRunner } from '../../testing/solution-runner';

const labDir = fileURLToPath(new URL('../../../../labs/l13-mutual-tls/', import.meta.url));
const runner = new SolutionRunner(baselineCluster());
runner.runScript(path.join(labDir, 'setup.sh'));
const start = runner.state();
const after: Record<string, KubeObject[]> = {};
for (const step of ['observe-permissive', 'strict-namespace', 'port-exception', 'mesh-wide-strict', 'disable-namespace']) {
  runner.runScript(path.join(labDir, 'solutions', `${step}.sh`));
  after[step] = runner.state();
}

const at = (iso: string) => ({ metadata: { creationTimestamp: iso } });
function created<T extends KubeObject>(o: T, iso: string): T {
  return { ...o, metadata: { ...o.metadata, ...at(iso).metadata } };
}
const without = (state: KubeObject[], kind: string, ns: string, name: string) =>
  state.filter((o) => !(o.kind === kind && o.metadata?.namespace === ns && o.metadata?.name === name));

describe('l13-mutual-tls', () => {
  let m: MeshHarness;
  beforeAll(async () => {
    m = await startMeshHarness('l13-mutual-tls', start);
  });
  afterAll(() => m.close());

  describe('observe-permissive', () => {
    it('passes on the start: plain text accepted, foo → foo carries the caller identity', async () => {
      const r = await m.run('observe-permissive', start);
      expectPassed(r);
      expect(r.assertions.find((a) => a.code === 'L13.XFCC')?.actual).toContain('spiffe://cluster.local/ns/foo/sa/curl');
      expectOnlyReads(m.h);
    });
    it('fails when a STRICT policy is left in foo from an earlier attempt', async () => {
      const r = await m.run('observe-permissive', [...start, peerAuthentication('foo', 'default', { mtls: { mode: 'STRICT' } })]);
      expect(failure(r, 'L13.PLAINTEXT_OK').actual).toBe('000 (curl exit 56: connection reset)');
    });
  });

  describe('strict-namespace', () => {
    it('passes on the solution, and on a policy of another name with the older v1beta1 API', async () => {
      expectPassed(await m.run('strict-namespace', after['strict-namespace']!));
      const other = peerAuthentication('foo', 'foo-strict', { mtls: { mode: 'STRICT' } });
      expectPassed(await m.run('strict-namespace', [...start, { ...other, apiVersion: 'security.istio.io/v1beta1' }]));
    });
    it('fails on the start', async () => {
      expectFailed(await m.run('strict-namespace', start));
    });
    it('names the older namespace-wide policy that wins over a newer STRICT one', async () => {
      const older = created(peerAuthentication('foo', 'a-permissive', { mtls: { mode: 'PERMISSIVE' } }), '2026-01-01T00:00:00Z');
      const newer = created(peerAuthentication('foo', 'default', { mtls: { mode: 'STRICT' } }), '2026-02-01T00:00:00Z');
      const f = failure(await m.run('strict-namespace', [...start, older, newer]), 'L13.NS_STRICT');
      expect(f.hint).toMatch(/istiod uses only the oldest, PeerAuthentication foo\/a-permissive, and ignores PeerAuthentication foo\/default/);
    });
    it('names a DestinationRule that turns TLS off as the cause of 503s from bar', async () => {
      const dr = destinationRule('foo', 'httpbin', { host: 'httpbin.foo.svc.cluster.local', trafficPolicy: { tls: { mode: 'DISABLE' } } });
      const r = await m.run('strict-namespace', [...after['strict-namespace']!, dr]);
      const f = failure(r, 'L13.MESH_CALL');
      expect(f.actual).toBe('HTTP 503');
      expect(f.hint).toMatch(/with tls.mode DISABLE \(DestinationRule foo\/httpbin\) makes clients send plain text/);
    });
    it('names a workload policy that overrides the namespace', async () => {
      const override = peerAuthentication('foo', 'httpbin', { selector: { matchLabels: { app: 'httpbin' } }, mtls: { mode: 'PERMISSIVE' } });
      const f = failure(await m.run('strict-namespace', [...after['strict-namespace']!, override]), 'L13.NS_STRICT');
      expect(f.hint).toMatch(/workload policy, PeerAuthentication foo\/httpbin/);
    });
  });

  describe('port-exception', () => {
    it('passes on the solution', async () => {
      expectPassed(await m.run('port-exception', after['port-exception']!));
    });
    it('fails on the state before it', async () => {
      expectFailed(await m.run('port-exception', after['strict-namespace']!));
    });
    it('explains a portLevelMtls keyed by the Service port', async () => {
      const byServicePort = peerAuthentication('bar', 'httpbin', { selector: { matchLabels: { app: 'httpbin' } }, mtls: { mode: 'STRICT' }, portLevelMtls: { '8000': { mode: 'DISABLE' } } });
      const f = failure(await m.run('port-exception', [...after['strict-namespace']!, byServicePort]), 'L13.PORT_EXCEPTION');
      expect(f.hint).toMatch(/keyed "8000", the Service port/);
      expect(f.actual).toBe('portLevelMtls keys 8000; port 8080 is STRICT');
    });
    it('asks for STRICT on the other ports', async () => {
      const onlyPort = peerAuthentication('bar', 'httpbin', { selector: { matchLabels: { app: 'httpbin' } }, portLevelMtls: { '8080': { mode: 'DISABLE' } } });
      expect(failure(await m.run('port-exception', [...after['strict-namespace']!, onlyPort]), 'L13.PORT_EXCEPTION').hint).toMatch(/should stay STRICT/);
    });
  });

  describe('mesh-wide-strict', () => {
    it('passes on the solution: legacy → foo refused while the bar port exception still applies', async () => {
      expectPassed(await m.run('mesh-wide-strict', after['mesh-wide-strict']!));
    });
    it('fails on the state before it', async () => {
      expectFailed(await m.run('mesh-wide-strict', after['port-exception']!));
    });
    it('explains a "mesh-wide" policy put in namespace default', async () => {
      const misplaced = peerAuthentication('default', 'default', { mtls: { mode: 'STRICT' } });
      const f = failure(await m.run('mesh-wide-strict', [...after['port-exception']!, misplaced]), 'L13.MESH_STRICT');
      expect(f.hint).toMatch(/lives in default, so it covers only that namespace. Mesh-wide policies live in the root namespace, istio-system/);
    });
  });

  describe('disable-namespace', () => {
    it('passes on the solution', async () => {
      expectPassed(await m.run('disable-namespace', after['disable-namespace']!));
    });
    it('passes with a warning when the mesh-wide STRICT policy is still there', async () => {
      const stillThere = [...after['disable-namespace']!, peerAuthentication('istio-system', 'default', { mtls: { mode: 'STRICT' } })];
      const r = await m.run('disable-namespace', stillThere);
      expectPassed(r);
      expect(r.assertions.find((a) => a.code === 'L13.MESH_POLICY_LEFT')?.status).toBe('warn');
    });
    it('fails on the state before it, and names a workload policy that keeps httpbin on mTLS', async () => {
      expectFailed(await m.run('disable-namespace', after['mesh-wide-strict']!));
      const override = peerAuthentication('foo', 'httpbin', { selector: { matchLabels: { app: 'httpbin' } }, mtls: { mode: 'STRICT' } });
      const state = [...without(after['disable-namespace']!, 'PeerAuthentication', 'foo', 'httpbin'), override];
      expect(failure(await m.run('disable-namespace', state), 'L13.NS_DISABLE').hint).toMatch(/workload policy, PeerAuthentication foo\/httpbin/);
    });
  });
});
