import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintTerminalToken } from './terminal-token';
import { startTestGateway, testOrigin, testSecret, TestTerminalClient, UpgradeRefusedError, type TestGateway } from './gateway-test-support';

async function refusalOf(url: string, origin?: string | null): Promise<{ status: number; code: string | undefined }> {
  try {
    const client = await TestTerminalClient.connect(url, { origin });
    await client.close();
  } catch (error) {
    if (error instanceof UpgradeRefusedError) return { status: error.status, code: error.body.error?.code };
    throw error;
  }
  return { status: 101, code: undefined };
}

describe('terminal upgrade authorization', () => {
  let gw: TestGateway;
  const logLines: string[] = [];

  beforeAll(async () => {
    gw = await startTestGateway({ GATEWAY_MAX_SESSIONS_PER_LEARNER: '2', GATEWAY_LOCAL_UNSANDBOXED: 'single-user' }, {}, logLines);
  });
  afterAll(() => gw.stop());

  const hourAgo = Date.now() - 3_600_000;
  it.each([
    ['no token', () => gw.url('env-1'), testOrigin, 401, 'missing-token'],
    ['a forged token', () => gw.url('env-1', mintTerminalToken('x'.repeat(40), { v: 1, sub: 'l', env: 'env-1', role: 'learner', target: { kind: 'local', home: 'l' } })), testOrigin, 401, 'bad-signature'],
    ['an expired token', () => gw.url('env-1', gw.token({ env: 'env-1' }, 60, hourAgo)), testOrigin, 401, 'expired'],
    ['a malformed token', () => gw.url('env-1', 'not-a-token'), testOrigin, 401, 'malformed'],
    ['a foreign origin', () => gw.url('env-1', gw.token({ env: 'env-1' })), 'http://evil.example', 403, 'bad-origin'],
    ['no origin', () => gw.url('env-1', gw.token({ env: 'env-1' })), null, 403, 'bad-origin'],
    ['another environment', () => gw.url('env-1', gw.token({ env: 'env-2' })), testOrigin, 403, 'wrong-environment'],
    ['a bad terminal name', () => gw.url('env-1', gw.token({ env: 'env-1' }), 'Main/..'), testOrigin, 400, 'bad-request'],
    ['an observer with nothing to observe', () => gw.url('env-1', gw.token({ env: 'env-1', sub: 'teacher', role: 'observer' })), testOrigin, 404, 'no-session'],
  ])('refuses %s with %i %s and spawns nothing', async (_name, url, origin, status, code) => {
    const before = await gw.metric('terminal_gateway_refusals_total', { code });
    expect(await refusalOf(url(), origin)).toEqual({ status, code });
    expect(await gw.metric('terminal_gateway_refusals_total', { code })).toBe(before + 1);
    expect(await gw.metric('terminal_gateway_pty_spawns_total', { kind: 'local' })).toBe(0);
    expect(gw.gateway.sessions()).toEqual([]);
  });

  it('caps sessions per learner but always lets a learner re-attach', async () => {
    const a = await TestTerminalClient.connect(gw.url('env-cap', gw.token({ env: 'env-cap', sub: 'capped' }), 'a'));
    const b = await TestTerminalClient.connect(gw.url('env-cap', gw.token({ env: 'env-cap', sub: 'capped' }), 'b'));
    expect(await gw.metric('terminal_gateway_pty_spawns_total', { kind: 'local' })).toBe(2);
    expect(await refusalOf(gw.url('env-cap', gw.token({ env: 'env-cap', sub: 'capped' }), 'c'))).toEqual({ status: 429, code: 'too-many-sessions' });
    expect(await gw.metric('terminal_gateway_pty_spawns_total', { kind: 'local' })).toBe(2);
    // Same terminal again (a reload): allowed, takes over, spawns nothing.
    const again = await TestTerminalClient.connect(gw.url('env-cap', gw.token({ env: 'env-cap', sub: 'capped' }), 'a'));
    expect((await again.waitForControl('hello')).reattached).toBe(true);
    expect((await a.closed).code).toBe(4000);
    expect(await gw.metric('terminal_gateway_pty_spawns_total', { kind: 'local' })).toBe(2);
    // Another learner is not affected by this learner's cap.
    const other = await TestTerminalClient.connect(gw.url('env-other', gw.token({ env: 'env-other', sub: 'someone-else' }), 'c'));
    await other.waitForControl('hello');
    await Promise.all([b.close(), again.close(), other.close()]);
  });

  it('answers the preflight with the same verdicts, readable cross-origin', async () => {
    const base = `http://127.0.0.1:${gw.port}/terminals`;
    const ok = await fetch(`${base}/env-pre/preflight?token=${gw.token({ env: 'env-pre' })}`, { headers: { origin: testOrigin } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe(testOrigin);
    expect(await ok.json()).toEqual({ ok: true, role: 'learner', terminal: 'main', running: false });

    const expired = await fetch(`${base}/env-pre/preflight?token=${gw.token({ env: 'env-pre' }, 60, hourAgo)}`, { headers: { origin: testOrigin } });
    expect(expired.status).toBe(401);
    expect(expired.headers.get('access-control-allow-origin')).toBe(testOrigin);
    expect(await expired.json()).toEqual({ error: { code: 'expired', message: expect.stringMatching(/expired/) } });

    const wrongEnv = await fetch(`${base}/env-pre/preflight?token=${gw.token({ env: 'env-x' })}`);
    expect(wrongEnv.status).toBe(403);
    expect((await wrongEnv.json()) as unknown).toMatchObject({ error: { code: 'wrong-environment' } });

    const badOrigin = await fetch(`${base}/env-pre/preflight?token=${gw.token({ env: 'env-pre' })}`, { headers: { origin: 'http://evil.example' } });
    expect(badOrigin.status).toBe(403);
    expect(badOrigin.headers.get('access-control-allow-origin')).toBeNull();
    expect(gw.gateway.sessions().filter((s) => s.environmentId === 'env-pre')).toEqual([]);
  });

  it('serves health and metrics', async () => {
    const health = await fetch(`http://127.0.0.1:${gw.port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', sessions: expect.any(Number), sandbox: expect.stringMatching(/bwrap|unsandboxed/) });
    const metrics = await (await fetch(`http://127.0.0.1:${gw.port}/metrics`)).text();
    for (const name of ['terminal_gateway_sessions', 'terminal_gateway_connections', 'terminal_gateway_output_bytes_total', 'terminal_gateway_input_bytes_total', 'terminal_gateway_flow_pauses_total', 'terminal_gateway_refusals_total', 'terminal_gateway_pty_spawn_failures_total'])
      expect(metrics).toContain(`# TYPE ${name} `);
    expect((await fetch(`http://127.0.0.1:${gw.port}/nope`)).status).toBe(404);
  });

  it('never writes a token into its logs', () => {
    const joined = logLines.join('\n');
    expect(joined).toContain('terminal connection refused');
    expect(joined).toContain('"code":"too-many-sessions"');
    expect(joined).not.toMatch(/token=/);
    expect(joined).not.toMatch(/eyJ[A-Za-z0-9_-]{20,}\./); // base64url of '{"' starts every token
  });
});

describe('local targets without a sandbox', () => {
  it('are refused unless single-user mode is set, and nothing is spawned', async () => {
    const gw = await startTestGateway({}, { bwrapPath: '/nonexistent/bwrap' });
    try {
      expect(gw.gateway.sandboxMode()?.kind).toBe('unavailable');
      expect(await refusalOf(gw.url('env-1', gw.token({ env: 'env-1' })))).toEqual({ status: 503, code: 'sandbox-unavailable' });
      const pre = await fetch(`http://127.0.0.1:${gw.port}/terminals/env-1/preflight?token=${gw.token({ env: 'env-1' })}`);
      expect(pre.status).toBe(503);
      expect(await gw.metric('terminal_gateway_pty_spawns_total', { kind: 'local' })).toBe(0);
    } finally {
      await gw.stop();
    }
  });

  it('run as a plain shell with the private HOME in single-user mode', async () => {
    // The gateway's own environment holds the secret; the shell must not inherit it.
    process.env.WORKSHOP_TOKEN_SECRET = testSecret;
    const gw = await startTestGateway({ GATEWAY_LOCAL_UNSANDBOXED: 'single-user' }, { bwrapPath: '/nonexistent/bwrap' });
    try {
      expect(gw.gateway.sandboxMode()?.kind).toBe('unsandboxed');
      const client = await TestTerminalClient.connect(gw.url('env-1', gw.token({ env: 'env-1', sub: 'solo' })));
      client.input('echo "H=$HOME S=[$WORKSHOP_TOKEN_SECRET]"\r');
      await client.waitForOutput(new RegExp(`H=${gw.homesDir}/solo S=\\[\\]`));
      await client.close();
    } finally {
      await gw.stop();
    }
  });
});
