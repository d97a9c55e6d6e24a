import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { baselineCluster, emulateCurl, gateway, serviceEntry, sidecar, startCheckHarness, virtualService, type CheckHarness, type ExecCall } from '../../testing';
import { expectFailed, expectOnlyReads, expectPassed, failure } from '../../testing/check-expectations';
import { externalApi } from '../../testing/testdata/lab-fixtures';
import { parseCodeAndTime } from './egress-timeout';

// Where step 4 starts: L11 steps 2 and 3 done (REGISTRY_ONLY Sidecar, ServiceEntry api-example), no VirtualService.
const se = (protocol = 'HTTP') =>
  serviceEntry('default', 'api-example', {
    hosts: ['api.example.com'],
    ports: [{ number: 80, name: protocol.toLowerCase(), protocol }],
    resolution: 'DNS',
    location: 'MESH_EXTERNAL',
  });
const base = [
  ...baselineCluster(),
  ...externalApi(),
  sidecar('default', 'default', { outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } }),
];
const start = [...base, se()];
const route = (host = 'api.example.com') => [{ destination: { host, port: { number: 80 } } }];
const vs = (over: Record<string, unknown> = {}, name = 'api-example') =>
  virtualService('default', name, { hosts: ['api.example.com'], http: [{ route: route(), timeout: '3s' }], ...over });

describe('l11-egress-serviceentry/egress-timeout', () => {
  let h: CheckHarness;
  const execs: ExecCall[] = [];
  // What `curl -w '%{http_code} %{time_total}' .../delay/5` prints in default/curl; set per test.
  let delayAnswer = '504 3.004512';
  beforeAll(async () => {
    h = await startCheckHarness({ objects: start });
    h.api.setExecHandler((call) => {
      execs.push(call);
      if (call.command.some((a) => a.endsWith('/delay/5'))) return { stdout: delayAnswer, exitCode: 0 };
      return emulateCurl(call.command, h.upstreams);
    });
  });
  afterAll(() => h.close());
  beforeEach(() => {
    delayAnswer = '504 3.004512';
  });
  const run = (objects: typeof start) => {
    h.api.set(objects);
    return h.run('l11-egress-serviceentry', 'egress-timeout');
  };

  it('passes on the solution: VS api-example with timeout 3s, /delay/5 → 504 after ~3 s from default/curl', async () => {
    const r = await run([...start, vs()]);
    expectPassed(r);
    expect(r.assertions.find((a) => a.code === 'L11.TIMEOUT_OBSERVED')?.actual).toBe('HTTP 504 after 3.0 s');
    const call = execs.at(-1);
    expect(call?.namespace).toBe('default');
    expect(call?.pod).toMatch(/^curl-/);
    expect(call?.command).toEqual(
      expect.arrayContaining(['curl', '-w', '%{http_code} %{time_total}', 'http://api.example.com/delay/5']),
    );
    expectOnlyReads(h);
  });

  it('fails on the starting state (no VirtualService) without probing', async () => {
    const before = execs.length;
    const r = await run(start);
    expectFailed(r);
    expect(failure(r, 'L11.VS_EXTERNAL').hint).toMatch(/hosts \[api\.example\.com\].*timeout: 3s/);
    expect(execs.length).toBe(before);
  });

  it('fails when the VirtualService has no timeout', async () => {
    const r = await run([...start, vs({ http: [{ route: route() }] })]);
    const f = failure(r, 'L11.TIMEOUT');
    expect(f.actual).toBe('no timeout');
    expect(f.hint).toMatch(/Add `timeout: 3s`/);
  });

  it('fails when the timeout is longer than the 5 s delay', async () => {
    const r = await run([...start, vs({ http: [{ route: route(), timeout: '10s' }] })]);
    const f = failure(r, 'L11.TIMEOUT');
    expect(f.actual).toBe('timeout 10s');
    expect(f.hint).toMatch(/before a 10s timeout fires\. Use 3s/);
  });

  it('fails when the timeout equals the delay (a race, not a timeout)', async () => {
    const r = await run([...start, vs({ http: [{ route: route(), timeout: '5s' }] })]);
    expect(failure(r, 'L11.TIMEOUT').hint).toMatch(/Use 3s/);
  });

  it('passes with another name and a sub-second unit, noting the name', async () => {
    delayAnswer = '504 2.503117';
    const r = await run([...start, vs({ http: [{ route: route(), timeout: '2500ms' }] }, 'external-timeout')]);
    expectPassed(r);
    expect(r.assertions.find((a) => a.code === 'MESH.VS_NAME')?.status).toBe('warn');
  });

  it('fails when the route sends api.example.com elsewhere', async () => {
    const r = await run([
      ...start,
      vs({ http: [{ route: route('fake-api.external.svc.cluster.local'), timeout: '3s' }] }),
    ]);
    expect(failure(r, 'L11.TIMEOUT_ROUTE_HOST').hint).toMatch(/Route to the ServiceEntry host itself/);
  });

  it('fails with the mesh hint when the VirtualService is bound only to a gateway', async () => {
    const gw = gateway('default', 'istio-egressgateway', {
      selector: { istio: 'egressgateway' },
      servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['api.example.com'] }],
    });
    const r = await run([...start, gw, vs({ gateways: ['istio-egressgateway'] })]);
    expect(failure(r, 'MESH.VS_OTHER_GATEWAYS').hint).toMatch(/add `mesh` to gateways/);
  });

  it('fails with IST0109 when two VirtualServices bind api.example.com for the mesh', async () => {
    const r = await run([...start, vs(), vs({}, 'api-example-copy')]);
    expect(failure(r, 'IST0109').hint).toMatch(/Keep one/);
  });

  it('fails when the call waits out the delay because the ServiceEntry port is TCP (no L7 timeout)', async () => {
    delayAnswer = '200 5.012345';
    const r = await run([...base, se('TCP'), vs()]);
    const f = failure(r, 'L11.TIMEOUT_OBSERVED');
    expect(f.actual).toMatch(/HTTP 200 after 5\.0 s/);
    expect(f.hint).toMatch(/declares port 80 as TCP.*Declare it as protocol HTTP/);
    expect(f.next).toBe('kubectl get serviceentry -A -o yaml');
  });

  it('fails with the "restore the ServiceEntry" hint when the call passes through unregistered (ALLOW_ANY, no ServiceEntry)', async () => {
    delayAnswer = '200 5.009001';
    const r = await run([...baselineCluster(), ...externalApi(), vs()]);
    expect(failure(r, 'L11.TIMEOUT_OBSERVED').hint).toMatch(/no ServiceEntry registers api\.example\.com/);
  });

  it('fails with the proxy-sync hint when everything is configured but the call still waits', async () => {
    delayAnswer = '200 5.001000';
    const r = await run([...start, vs()]);
    const f = failure(r, 'L11.TIMEOUT_OBSERVED');
    expect(f.hint).toMatch(/did not apply yet/);
    expect(f.next).toBe('istioctl proxy-status');
  });

  it('fails with the REGISTRY_ONLY hint when the ServiceEntry is missing (502)', async () => {
    delayAnswer = '502 0.004001';
    const r = await run([...base, vs()]);
    expect(failure(r, 'L11.TIMEOUT_OBSERVED').hint).toMatch(
      /ServiceEntry for api\.example\.com is missing while REGISTRY_ONLY is on/,
    );
  });

  it('fails when the 504 arrives far from the configured timeout', async () => {
    delayAnswer = '504 0.301000';
    const r = await run([...start, vs()]);
    expect(failure(r, 'L11.TIMEOUT_OBSERVED').expected).toBe('HTTP 504 after 2.5–4.5 s');
  });

  it('parses curl -w output', () => {
    expect(parseCodeAndTime('504 3.004512\n')).toEqual({ code: 504, seconds: 3.004512 });
    expect(parseCodeAndTime('curl: (6) Could not resolve host')).toBeUndefined();
  });
});
