import { describe, expect, it } from 'vitest';
import type { EnvironmentRecord } from './environment-store';
import { ingressEndpointFor, terminalTargetFor } from './terminal-target';

const env = (over: Partial<EnvironmentRecord>): EnvironmentRecord =>
  ({ id: 'env-1', provider: 'local', status: 'assigned', learnerId: 'learner@example.com', kubeconfigPath: '/data/kc', httpPort: null, ...over }) as EnvironmentRecord;

describe('the ingress a local shell reaches', () => {
  it("is the kind cluster's mapped host ports (HTTPS on the next one)", () => {
    expect(ingressEndpointFor({ httpPort: 30100 })).toEqual({ host: '127.0.0.1', httpPort: 30100, httpsPort: 30101 });
  });
  it('else the configured ingress URL, HTTP only', () => {
    expect(ingressEndpointFor({ httpPort: null }, 'http://192.168.49.2:31380')).toEqual({ host: '192.168.49.2', httpPort: 31380 });
    expect(ingressEndpointFor({ httpPort: null }, 'http://[::1]')).toEqual({ host: '::1', httpPort: 80 });
    expect(ingressEndpointFor({ httpPort: null }, 'https://ingress.example.com')).toBeUndefined();
    expect(ingressEndpointFor({ httpPort: null })).toBeUndefined();
  });
  it('goes into a local target with a cluster, and never into one without', () => {
    expect(terminalTargetFor(env({}), { ingressUrl: 'http://127.0.0.1:8081' })).toMatchObject({ kind: 'local', kubeconfig: '/data/kc', ingress: { host: '127.0.0.1', httpPort: 8081 } });
    expect(terminalTargetFor(env({ kubeconfigPath: null }), { ingressUrl: 'http://127.0.0.1:8081' })).not.toHaveProperty('ingress');
  });
});
