import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { KubeconfigRewriteError, rewriteKubeconfigForSandbox, socatCommand } from './kube-api-relay';

describe('kubeconfig for the sandbox', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gw-kc-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'ca.crt'), 'CA-PEM');
  writeFileSync(join(dir, 'client.key'), 'KEY-PEM');

  it('points each API server at a loopback relay port, keeps the TLS name, inlines files', async () => {
    const text = `
clusters:
- name: a
  cluster: {server: "https://api.example.org:6443", certificate-authority: ca.crt}
- name: b
  cluster: {server: "https://10.0.0.5", tls-server-name: kubernetes.default}
- name: a-again
  cluster: {server: "https://api.example.org:6443", insecure-skip-tls-verify: true}
users:
- name: u
  user: {client-key: ${join(dir, 'client.key')}, token: t}
`;
    const rewritten = await rewriteKubeconfigForSandbox(text, join(dir, 'kubeconfig'));
    expect(rewritten.endpoints).toEqual([
      { host: 'api.example.org', port: 6443, sandboxPort: 6443, socketName: 'k0.sock' },
      { host: '10.0.0.5', port: 443, sandboxPort: 6444, socketName: 'k1.sock' },
    ]);
    const out = parse(rewritten.text) as { clusters: { cluster: Record<string, unknown> }[]; users: { user: Record<string, unknown> }[] };
    expect(out.clusters[0]?.cluster).toEqual({ server: 'https://127.0.0.1:6443', 'certificate-authority-data': Buffer.from('CA-PEM').toString('base64'), 'tls-server-name': 'api.example.org' });
    expect(out.clusters[1]?.cluster).toEqual({ server: 'https://127.0.0.1:6444', 'tls-server-name': 'kubernetes.default' });
    expect(out.clusters[2]?.cluster).toEqual({ server: 'https://127.0.0.1:6443', 'insecure-skip-tls-verify': true });
    expect(out.users[0]?.user).toEqual({ token: 't', 'client-key-data': Buffer.from('KEY-PEM').toString('base64') });
    expect(socatCommand(rewritten.endpoints[0]!)).toBe('socat TCP-LISTEN:6443,bind=127.0.0.1,fork,reuseaddr UNIX-CONNECT:/run/workshop/k0.sock </dev/null 2>/dev/null &');
  });

  it('names the file and the problem for a bad kubeconfig', async () => {
    await expect(rewriteKubeconfigForSandbox('clusters: [{name: x, cluster: {server: "not a url"}}]', '/kc/bad')).rejects.toThrow(/\/kc\/bad: cluster x has server "not a url", which is not a URL/);
    await expect(rewriteKubeconfigForSandbox('clusters: [{name: x, cluster: {server: "https://h", certificate-authority: /nope/ca}}]', '/kc/f')).rejects.toThrow(KubeconfigRewriteError);
    await expect(rewriteKubeconfigForSandbox('clusters: 3', '/kc/g')).rejects.toThrow(/\/kc\/g is not a kubeconfig/);
  });
});
