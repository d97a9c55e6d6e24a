import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../check-result';
import { httpbinHost, startCheckHarness, type CheckHarness } from '../../testing';
import { httpbinGateway, httpbinVs, l02Solution, l02Start } from '../../testing/testdata/l02-fixtures';

const lab = 'l02-ingress-gateway';
let h: CheckHarness;
beforeAll(async () => {
  h = await startCheckHarness({ requireHints: true });
});
afterAll(async () => {
  await h.close();
});
const failing = (r: CheckResult) => r.assertions.filter((a) => a.status === 'fail');

describe('l02 create-gateway', () => {
  it('passes on the solution state', async () => {
    h.api.set(l02Solution());
    const r = await h.run(lab, 'create-gateway');
    expect(r.outcome, JSON.stringify(failing(r))).toBe('passed');
  });
  it('fails on the starting state', async () => {
    h.api.set(l02Start());
    expect((await h.run(lab, 'create-gateway')).outcome).toBe('failed');
  });
  it('mistake: selector istio: ingress (Helm label) → no gateway pod has these labels', async () => {
    h.api.set([...l02Start(), httpbinGateway({ selector: { istio: 'ingress' } })]);
    const f = failing(await h.run(lab, 'create-gateway'))[0];
    expect(f?.code).toBe('L02.GATEWAY_SELECTOR');
    expect(f?.hint).toContain('No gateway pod has these labels');
  });
  it('mistake: port 8081 not exposed by the Service → IST0162', async () => {
    h.api.set([...l02Start(), httpbinGateway({ port: 8081 })]);
    expect(failing(await h.run(lab, 'create-gateway')).map((a) => a.code)).toEqual(['IST0162']);
  });
  it('mistake: two Gateways claim the same host and port → IST0145', async () => {
    h.api.set([...l02Solution(), httpbinGateway({ name: 'httpbin-gateway-copy' })]);
    expect(failing(await h.run(lab, 'create-gateway')).map((a) => a.code)).toEqual(['IST0145']);
  });
  it('a "*" host passes with a warning', async () => {
    h.api.set([...l02Start(), httpbinGateway({ hosts: ['*'] })]);
    const r = await h.run(lab, 'create-gateway');
    expect(r.outcome).toBe('passed');
    expect(r.assertions.some((a) => a.status === 'warn' && a.code === 'L02.GATEWAY_HOST')).toBe(true);
  });
});

describe('l02 bind-virtualservice', () => {
  it('passes on the solution state', async () => {
    h.api.set(l02Solution());
    const r = await h.run(lab, 'bind-virtualservice');
    expect(r.outcome, JSON.stringify(failing(r))).toBe('passed');
  });
  it('passes with the VS in another namespace using the ns/ prefix', async () => {
    h.api.set([...l02Start(), httpbinGateway(), httpbinVs({ ns: 'default', gateways: ['intro/httpbin-gateway'] })]);
    expect((await h.run(lab, 'bind-virtualservice')).outcome).toBe('passed');
  });
  it('fails on the starting state', async () => {
    h.api.set(l02Start());
    expect((await h.run(lab, 'bind-virtualservice')).outcome).toBe('failed');
  });
  it('mistake: VS in another namespace without the ns/ prefix → IST0101', async () => {
    h.api.set([...l02Start(), httpbinGateway(), httpbinVs({ ns: 'default' })]);
    const f = failing(await h.run(lab, 'bind-virtualservice'))[0];
    expect(f?.code).toBe('IST0101');
    expect(f?.hint).toContain('write intro/httpbin-gateway');
  });
  it('mistake: VS host not in the Gateway hosts → IST0132', async () => {
    h.api.set([...l02Start(), httpbinGateway({ hosts: ['other.example.com', 'httpbin.example.org'] }), httpbinVs()]);
    expect(failing(await h.run(lab, 'bind-virtualservice')).map((a) => a.code)).toContain('IST0132');
  });
  it('mistake: VS host misspelt, so the Gateway never routes it → IST0132 naming the host and why, not "none found"', async () => {
    h.api.set([...l02Start(), httpbinGateway(), httpbinVs({ hosts: ['httpbin.example.org'] })]);
    const f = failing(await h.run(lab, 'bind-virtualservice'));
    expect(f.map((a) => a.code)).toEqual(['IST0132']);
    expect(f[0]?.hint).toContain('httpbin.example.org');
    expect(f[0]?.hint).toContain('servers list httpbin.example.com');
  });
  it('mistake: destination port 8080 (container port)', async () => {
    h.api.set([...l02Start(), httpbinGateway(), httpbinVs({ port: 8080 })]);
    const f = failing(await h.run(lab, 'bind-virtualservice'))[0];
    expect(f?.code).toBe('L02.VS_PORT');
    expect(f?.hint).toContain('container port');
  });
});

describe('l02 call-through-gateway (probe)', () => {
  it('passes through the toolbox curl when httpbin.example.com is routed', async () => {
    h.api.set(l02Solution());
    h.bookinfo.setVirtualHost('httpbin.example.com', httpbinHost());
    const r = await h.run(lab, 'call-through-gateway');
    expect(r.outcome, JSON.stringify(r.assertions)).toBe('passed');
    expect(h.api.requests.some((q) => q.method === 'EXEC' && q.path.includes('/namespaces/toolbox/pods/'))).toBe(true);
  });
  it('passes with --ingress (direct HTTP with a Host header)', async () => {
    h.bookinfo.setVirtualHost('httpbin.example.com', httpbinHost());
    expect((await h.run(lab, 'call-through-gateway', { ingress: true })).outcome).toBe('passed');
  });
  it('fails on the starting state (404 for the host)', async () => {
    h.api.set(l02Start());
    h.bookinfo.setVirtualHost('httpbin.example.com', undefined);
    const f = failing(await h.run(lab, 'call-through-gateway', { ingress: true }));
    expect(f[0]?.code).toBe('L02.CALL_HOST');
    expect(f[0]?.actual).toBe('HTTP 404');
  });
  it('mistake: "*" everywhere → another Host is answered too', async () => {
    h.bookinfo.setVirtualHost('httpbin.example.com', httpbinHost());
    h.bookinfo.setVirtualHost('nope.example.com', httpbinHost());
    const f = failing(await h.run(lab, 'call-through-gateway', { ingress: true }));
    expect(f.map((a) => a.code)).toEqual(['L02.CALL_OTHER_HOST']);
    h.bookinfo.setVirtualHost('nope.example.com', undefined);
  });
  it('reports istioctl analyze findings when istioctl is on PATH', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'istioctl-'));
    const finding = [
      {
        code: 'IST0132',
        level: 'Warning',
        message:
          'VirtualService intro/httpbin: one or more host [httpbin.example.com] defined in VirtualService intro/httpbin not found in Gateway intro/httpbin-gateway.',
        origin: 'VirtualService intro/httpbin',
        documentationUrl: 'https://istio.io/v1.30/docs/reference/config/analysis/ist0132/',
      },
    ];
    writeFileSync(path.join(dir, 'istioctl'), `#!/bin/sh\necho '${JSON.stringify(finding)}'\nexit 79\n`);
    chmodSync(path.join(dir, 'istioctl'), 0o755);
    const oldPath = process.env['PATH'];
    process.env['PATH'] = `${dir}${path.delimiter}${oldPath ?? ''}`;
    try {
      h.bookinfo.setVirtualHost('httpbin.example.com', httpbinHost());
      const f = failing(await h.run(lab, 'call-through-gateway', { ingress: true }));
      expect(f.map((a) => a.code)).toEqual(['IST0132']);
      expect(f[0]?.hint).toContain('not found in Gateway');
    } finally {
      process.env['PATH'] = oldPath;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
