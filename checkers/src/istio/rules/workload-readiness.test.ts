import { describe, expect, it } from 'vitest';
import { istioProxyContainer } from '../../pods';
import { deployment, pod } from './testdata/pods';
import { workloadReadiness } from './workload-readiness';

const d = deployment('httpbin', { app: 'httpbin' }, 'intro');
const injected = (p: Parameters<typeof istioProxyContainer>[0]) => istioProxyContainer(p) !== undefined;

describe('workloadReadiness', () => {
  it('done when every pod is Running, Ready and of the new shape', () => {
    const r = workloadReadiness(d, [pod('httpbin-b', { app: 'httpbin' }, { ns: 'intro', proxy: 'native' })], injected);
    expect(r.ready).toBe(true);
  });
  it('a Pending new pod next to the old Running one is not done', () => {
    const r = workloadReadiness(
      d,
      [pod('httpbin-a', { app: 'httpbin' }, { ns: 'intro' }), pod('httpbin-b', { app: 'httpbin' }, { ns: 'intro', phase: 'Pending', ready: false, proxy: 'native' })],
      injected,
    );
    expect(r.ready).toBe(false);
    expect(r.problems).toEqual([
      { pod: 'httpbin-a', why: 'wrong-shape' },
      { pod: 'httpbin-b', why: 'pending' },
    ]);
    expect(r.detail).toContain('httpbin-b Pending');
  });
  it('terminating pods are ignored; no pods is not done', () => {
    expect(workloadReadiness(d, [pod('httpbin-a', { app: 'httpbin' }, { ns: 'intro', terminating: true })]).ready).toBe(false);
    expect(workloadReadiness(d, [pod('httpbin-a', { app: 'httpbin' }, { ns: 'intro', ready: false })]).problems[0]?.why).toBe('not-ready');
  });
});
