// The portal API answers bad input with a clear error naming what is wrong, and never lets one
// learner use another's environment. Plain HTTP against the platform as `npm start` runs it.
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type RunningPlatform } from '../support/platform';

let platform: RunningPlatform;

/** A browser-like learner: keeps the signed cookie the portal hands out. */
async function newLearner(): Promise<((path: string, init?: RequestInit) => Promise<Response>) & { cookie: string }> {
  const first = await fetch(`${platform.portalUrl}/`);
  const cookie = (first.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  expect(cookie).toMatch(/^iw_learner=lrn-[0-9a-f]{20}\./);
  const call = (path: string, init?: RequestInit) =>
    fetch(`${platform.portalUrl}${path}`, {
      ...init,
      headers: { cookie, 'content-type': 'application/json', origin: platform.portalUrl, ...init?.headers },
    });
  return Object.assign(call, { cookie });
}

/**
 * POSTs a chunked body of up to `total` bytes, writing as fast as the server reads and stopping
 * when the answer arrives; returns the answer and how many bytes were written before it.
 */
function streamBody(url: string, cookie: string, total: number): Promise<{ status: number; message: string; sent: number }> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    let sent = 0;
    let answered = false;
    const req = httpRequest({
      host: target.hostname,
      port: target.port,
      path: target.pathname,
      method: 'POST',
      headers: { cookie, origin: target.origin, 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
    });
    req.on('response', (res) => {
      answered = true;
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => {
        req.destroy();
        const body = JSON.parse(text) as { error: { message: string } };
        resolve({ status: res.statusCode ?? 0, message: body.error.message, sent });
      });
    });
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const pump = () => {
      while (!answered && sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}

beforeAll(async () => {
  platform = await startPlatform({ CLUSTERS_PROVIDER: 'local' });
});

afterAll(async () => {
  await platform?.stop();
});

describe('portal API', () => {
  it('refuses a forged learner cookie', async () => {
    const res = await fetch(`${platform.portalUrl}/api/labs/l01-sidecar-injection/environment`, {
      method: 'POST',
      headers: { cookie: 'iw_learner=lrn-0123456789abcdef0123.forged', origin: platform.portalUrl, 'content-type': 'application/json' },
    });
    const body = (await res.json()) as { error: { message: string } };
    expect(res.status).toBe(403);
    expect(body.error.message).toContain('no learner session');
  });

  it('refuses a POST from another origin (a learner\'s server on another port) and says why', async () => {
    const call = await newLearner();
    const res = await call('/api/labs/l01-sidecar-injection/environment', {
      method: 'POST',
      headers: { origin: 'http://127.0.0.1:8080', 'sec-fetch-site': 'same-site' },
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('cross-site request refused');
    const noOrigin = await call('/api/labs/l01-sidecar-injection/environment', { method: 'POST', headers: { origin: '' } });
    expect(noOrigin.status).toBe(403);
  });

  it('refuses a POST that is not JSON with 415', async () => {
    const call = await newLearner();
    const res = await call('/api/labs/l01-sidecar-injection/steps/deploy-workloads/reveal', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'what=solution',
    });
    expect(res.status).toBe(415);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe(
      'this API accepts only Content-Type: application/json, got "application/x-www-form-urlencoded"',
    );
  });

  it('sends the security headers on pages and API answers', async () => {
    const page = await fetch(`${platform.portalUrl}/labs/l01-sidecar-injection`);
    const csp = page.headers.get('content-security-policy') ?? '';
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(csp).toContain("frame-ancestors 'self'");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('referrer-policy')).toBe('same-origin');
    // Next stamps the nonce on every script it sends, so none is blocked.
    const scripts = (await page.text()).match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);

    const call = await newLearner();
    const api = await call('/api/labs/l01-sidecar-injection/progress');
    expect(api.status).toBe(200);
    expect(api.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(api.headers.get('x-content-type-options')).toBe('nosniff');
    expect(api.headers.get('referrer-policy')).toBe('same-origin');
  });

  it('cuts an oversized streamed body at 64 KiB with 413, without reading the rest', async () => {
    const { cookie } = await newLearner();
    const total = 256 * 1024 * 1024;
    const { status, message, sent } = await streamBody(`${platform.portalUrl}/api/labs/l01-sidecar-injection/steps/deploy-workloads/reveal`, cookie, total);
    expect(status).toBe(413);
    expect(message).toBe('reveal: body larger than 64 KiB');
    // The client stops when the answer comes; socket buffers hold a few MiB, nowhere near all of it.
    expect(sent).toBeLessThan(total / 4);
  });

  it.each([
    ['an unknown lab', '/api/labs/l99-nope/environment', { method: 'POST' }, 404, 'unknown lab "l99-nope"'],
    ['an unknown step', '/api/labs/l01-sidecar-injection/steps/nope/check', { method: 'POST' }, 404, 'has no step "nope"'],
    ['a step without a check', '/api/labs/l01-sidecar-injection/steps/explore-control-plane/check', { method: 'POST' }, 400, 'has no check'],
    ['a body that is not JSON', '/api/labs/l01-sidecar-injection/steps/deploy-workloads/reveal', { method: 'POST', body: '{nope' }, 400, 'not valid JSON'],
    ['a bad field', '/api/labs/l01-sidecar-injection/steps/deploy-workloads/reveal', { method: 'POST', body: '{"what":"answers"}' }, 400, 'what:'],
    ['an oversized body', '/api/labs/l01-sidecar-injection/steps/deploy-workloads/reveal', { method: 'POST', body: JSON.stringify({ what: 'x'.repeat(70_000) }) }, 413, 'larger than 64 KiB'],
  ])('answers %s with a clear error', async (_name, path, init, status, fragment) => {
    const call = await newLearner();
    const res = await call(path, init as RequestInit);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(res.status).toBe(status);
    expect(body.error.message).toContain(fragment);
  });

  it('records a solution reveal and returns the script', async () => {
    const call = await newLearner();
    const res = await call('/api/labs/l01-sidecar-injection/steps/deploy-workloads/reveal', {
      method: 'POST',
      body: JSON.stringify({ what: 'solution' }),
    });
    const body = (await res.json()) as { recorded: boolean; solution?: string };
    expect(res.status).toBe(200);
    expect(body.solution).toContain('kubectl');
  });

  it('never hands one learner a terminal ticket for another learner\'s environment', async () => {
    const alice = await newLearner();
    const bob = await newLearner();
    const { environment } = (await (await alice('/api/labs/l01-sidecar-injection/environment', { method: 'POST' })).json()) as {
      environment: { id: string };
    };
    const mine = await alice(`/api/environments/${environment.id}/terminal-ticket`, { method: 'POST' });
    expect(mine.status).toBe(200);
    expect(await mine.json()).toMatchObject({ url: expect.stringMatching(/^ws:\/\/.+\/terminals\//), token: expect.any(String) });
    const theirs = await bob(`/api/environments/${environment.id}/terminal-ticket`, { method: 'POST' });
    expect(theirs.status).toBe(403);
  });

  it('mints every terminal ticket with its own id, so the gateway can accept each once', async () => {
    const call = await newLearner();
    const { environment } = (await (await call('/api/labs/l01-sidecar-injection/environment', { method: 'POST' })).json()) as {
      environment: { id: string };
    };
    const ids = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const { token } = (await (await call(`/api/environments/${environment.id}/terminal-ticket`, { method: 'POST' })).json()) as { token: string };
      const payload = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8')) as { jti?: string };
      expect(payload.jti).toMatch(/^[A-Za-z0-9_-]{22,}$/);
      ids.add(payload.jti ?? '');
    }
    expect(ids.size).toBe(3);
  });

  it('serves health and Prometheus metrics', async () => {
    const health = await fetch(`${platform.portalUrl}/healthz`);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    const metrics = await (await fetch(`${platform.portalUrl}/metrics`)).text();
    expect(metrics).toContain('portal_api_errors_total');
    expect(metrics).toContain('portal_environment_assignments_total');
  });
});
