import { readFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveDashboard } from './dashboard-proxy';

const cert = readFileSync(path.join(import.meta.dirname, 'testdata', 'apiserver-cert.pem'));
const key = readFileSync(path.join(import.meta.dirname, 'testdata', 'apiserver-key.pem'));

let server: https.Server;
let url: string;
const seen: { path: string; authorization?: string; cookie?: string }[] = [];

beforeAll(async () => {
  // An API server over TLS, as kind's is: it checks the bearer token and answers the service proxy.
  server = https.createServer({ cert, key }, (req, res) => {
    seen.push({ path: req.url ?? '', authorization: req.headers.authorization, cookie: req.headers.cookie });
    if (req.headers.authorization !== 'Bearer learner-token') {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"status":"success"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function kubeconfig(options: { ca?: boolean; token?: string }): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'kind', server: url, skipTLSVerify: false, ...(options.ca === false ? {} : { caData: cert.toString('base64') }) }],
    users: [{ name: 'learner', token: options.token ?? 'learner-token' }],
    contexts: [{ name: 'kind', cluster: 'kind', user: 'learner' }],
    currentContext: 'kind',
  });
  return kc;
}

describe('the service proxy over TLS', () => {
  it("uses the kubeconfig's CA and token, and nothing of the learner's request", async () => {
    const request = new Request('http://portal.test/prometheus/api/v1/query?query=up', { headers: { cookie: 'workshop-learner=secret', authorization: 'Bearer portal' } });
    const response = await serveDashboard(request, 'prometheus', { kind: 'config', kc: kubeconfig({}) });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('{"status":"success"}');
    expect(seen.at(-1)).toEqual({ path: '/api/v1/namespaces/istio-system/services/prometheus:9090/proxy/api/v1/query?query=up', authorization: 'Bearer learner-token', cookie: undefined });
  });

  it('refuses a server whose certificate the kubeconfig does not trust (502)', async () => {
    const response = await serveDashboard(new Request('http://portal.test/kiali/'), 'kiali', { kind: 'config', kc: kubeconfig({ ca: false }) });
    expect(response.status).toBe(502);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/did not answer: self[- ]signed certificate/);
  });

  it('says so when the API server refuses the credentials', async () => {
    const response = await serveDashboard(new Request('http://portal.test/kiali/'), 'kiali', { kind: 'config', kc: kubeconfig({ token: 'expired' }) });
    expect(response.status).toBe(502);
    expect(((await response.json()) as { error: { message: string } }).error.message).toBe("your cluster's API server refused this environment's credentials for Kiali: Unauthorized");
  });
});
