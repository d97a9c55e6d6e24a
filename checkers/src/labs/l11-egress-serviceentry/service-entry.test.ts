import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { baselineCluster, serviceEntry, sidecar, startCheckHarness, type CheckHarness } from '../../testing';
import { expectFailed, expectOnlyReads, expectPassed, failure } from '../../testing/check-expectations';
import { externalApi } from '../../testing/testdata/lab-fixtures';

const start = [...baselineCluster(), ...externalApi(), sidecar('default', 'default', { outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } })];
const se = (over: Record<string, unknown> = {}) =>
  serviceEntry('default', 'api-example', {
    hosts: ['api.example.com'],
    ports: [{ number: 80, name: 'http', protocol: 'HTTP' }],
    resolution: 'DNS',
    location: 'MESH_EXTERNAL',
    ...over,
  });

describe('l11-egress-serviceentry state parts', () => {
  let h: CheckHarness;
  beforeAll(async () => {
    h = await startCheckHarness({ objects: start });
  });
  afterAll(() => h.close());
  const run = (step: string, extra: ReturnType<typeof se>[]) => {
    h.api.set([...start, ...extra]);
    return h.run('l11-egress-serviceentry', step);
  };

  it('service-entry fails on its starting state (no ServiceEntry)', async () => {
    const r = await run('service-entry', []);
    expectFailed(r);
    failure(r, 'L11.SE');
    expectOnlyReads(h);
  });

  it('fails when the port is declared TCP', async () => {
    const r = await run('service-entry', [se({ ports: [{ number: 80, name: 'tcp', protocol: 'TCP' }] })]);
    expect(failure(r, 'L11.SE_PORT').hint).toMatch(/IST0134/);
  });

  it('fails with resolution NONE', async () => {
    const r = await run('service-entry', [se({ resolution: 'NONE' })]);
    expect(failure(r, 'L11.SE_RESOLUTION').hint).toMatch(/resolution: DNS/);
  });

  it('registry-only fails on a Sidecar with a workloadSelector', async () => {
    h.api.set([...baselineCluster(), ...externalApi(), sidecar('default', 'curl-only', { workloadSelector: { labels: { app: 'curl' } }, outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } })]);
    const r = await h.run('l11-egress-serviceentry', 'registry-only');
    expect(failure(r, 'L11.REGISTRY_ONLY').hint).toMatch(/drop the selector/);
  });

  it('registry-only fails with IST0111 on two namespace-wide Sidecars', async () => {
    h.api.set([...start, sidecar('default', 'second', { outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } })]);
    const r = await h.run('l11-egress-serviceentry', 'registry-only');
    failure(r, 'IST0111');
  });
});

describe('l11-egress-serviceentry/service-entry live call and metrics', () => {
  let h: CheckHarness;
  // What default/curl's sidecar answers for api.example.com, whether Prometheus gets to see the calls
  // (false: scrape lag), and the count curl's sidecar has reported for the host so far.
  let status = 200;
  let metered = true;
  let reported = 0;
  beforeAll(async () => {
    h = await startCheckHarness({ objects: start });
    h.upstreams['api.example.com:80'] = () => {
      // A call refused by REGISTRY_ONLY (502) is the sidecar's own direct response, never counted for api.example.com.
      if (metered && status !== 502) reported += 1;
      return { status, body: status === 200 ? '{"url": "http://api.example.com/get"}' : '' };
    };
    h.prometheus.setHandler((q) =>
      reported > 0 && q.includes('reporter="source"') && q.includes('source_workload="curl"') && q.includes('destination_service_name="api.example.com"')
        ? [{ metric: {}, value: reported }]
        : [],
    );
  });
  afterAll(() => h.close());
  beforeEach(() => {
    status = 200;
    metered = true;
    reported = 0;
  });
  const run = (extra: ReturnType<typeof se>[]) => {
    h.api.set([...start, ...extra]);
    return h.run('l11-egress-serviceentry', 'service-entry');
  };

  it('passes on the solution: HTTP/80, DNS, MESH_EXTERNAL, the call answers 200 and Prometheus counts it', async () => {
    const r = await run([se()]);
    expectPassed(r);
    expect(r.assertions.map((a) => a.code)).toEqual(['L11.SE', 'L11.SE_PORT', 'L11.SE_RESOLUTION', 'L11.SE_LOCATION', 'L11.EXTERNAL_REGISTERED', 'L11.PROM_EXTERNAL']);
    expect(h.prometheus.queries.at(-1)).toContain('destination_service_name="api.example.com"');
    expect(r.assertions.find((a) => a.code === 'L11.PROM_EXTERNAL')?.actual).toBe("0 before this check's requests, 1 after");
    expectOnlyReads(h);
  });

  it('fails when the sidecar still blocks the call (502) with the REGISTRY_ONLY hint', async () => {
    status = 502;
    const r = await run([se()]);
    const f = failure(r, 'L11.EXTERNAL_REGISTERED');
    expect(f.actual).toMatch(/HTTP 502/);
    expect(f.hint).toMatch(/REGISTRY_ONLY and api\.example\.com is not registered/);
  });

  it('fails on requests counted in earlier attempts when this check\'s calls are refused (502)', async () => {
    reported = 40;
    status = 502;
    const r = await run([se()]);
    failure(r, 'L11.EXTERNAL_REGISTERED');
    const f = failure(r, 'L11.PROM_EXTERNAL');
    expect(f.actual).toMatch(/^40 before this check's requests, still 40 after \d+ s$/);
    expect(f.hint).toMatch(/reported none of this check's calls.*block_all route/);
  });

  it('fails on requests counted in earlier attempts when this check\'s call is not in Prometheus', async () => {
    reported = 40;
    metered = false;
    const r = await run([se()]);
    expect(r.assertions.find((a) => a.code === 'L11.EXTERNAL_REGISTERED')?.status).toBe('pass');
    expect(failure(r, 'L11.PROM_EXTERNAL').actual).toMatch(/^40 before this check's requests, still 40 after \d+ s$/);
  });

  it('fails, telling the learner to wait, when Prometheus has no request yet', async () => {
    metered = false;
    const r = await run([se()]);
    const f = failure(r, 'L11.PROM_EXTERNAL');
    expect(f.actual).toMatch(/^0 before this check's requests, still 0 after \d+ s$/);
    expect(f.hint).toMatch(/reported none of this check's calls.*wait a minute/);
  });

  it('fails on location MESH_INTERNAL', async () => {
    const r = await run([se({ location: 'MESH_INTERNAL' })]);
    expect(failure(r, 'L11.SE_LOCATION').hint).toMatch(/mTLS.*MESH_EXTERNAL/);
  });

  it('fails with resolution NONE left to its default, saying so', async () => {
    const r = await run([se({ resolution: undefined })]);
    const f = failure(r, 'L11.SE_RESOLUTION');
    expect(f.actual).toBe('resolution NONE (default)');
    expect(f.hint).toMatch(/meant for IP ranges/);
  });

  it('warns about a second ServiceEntry for the same host', async () => {
    const r = await run([se(), serviceEntry('external', 'api-copy', { hosts: ['api.example.com'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], resolution: 'DNS' })]);
    expectPassed(r);
    expect(r.assertions.find((a) => a.code === 'L11.SE_DUPLICATE')?.status).toBe('warn');
  });
});
