import { NextRequest } from 'next/server';
import { beforeAll, describe, expect, it } from 'vitest';

// The proxy reads the validated portal configuration once, from the environment.
let proxy: typeof import('./proxy').proxy;
beforeAll(async () => {
  Object.assign(process.env, {
    WORKSHOP_TOKEN_SECRET: 'a-secret-of-at-least-thirty-two-characters',
    PORTAL_PUBLIC_URL: 'https://workshop.example.org',
    PORTAL_GATEWAY_URL: 'wss://workshop.example.org:3001',
    PORTAL_NEW_LEARNERS_PER_MINUTE: '2',
  });
  ({ proxy } = await import('./proxy'));
});

const visit = (address: string, cookie?: string) =>
  proxy(new NextRequest('http://127.0.0.1:3000/labs/l01-sidecar-injection', { headers: { 'x-forwarded-for': address, ...(cookie ? { cookie } : {}) } }));

describe('portal proxy', () => {
  it('sets a nonce CSP on the page and hands it to Next through the request', async () => {
    const response = await visit('192.0.2.1');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{24}' 'strict-dynamic' 'unsafe-eval'/);
    expect(csp).toContain("frame-ancestors 'self'");
    expect(csp).toContain('connect-src \'self\' wss://workshop.example.org:3001 https://workshop.example.org:3001');
    expect(response.headers.get('x-middleware-request-content-security-policy')).toBe(csp);
    const again = await visit('192.0.2.1');
    expect(again.headers.get('content-security-policy')).not.toBe(csp);
  });

  it('makes the learner cookie Secure when the public URL is https, even over a plain-http hop', async () => {
    const response = await visit('192.0.2.2');
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^iw_learner=lrn-[0-9a-f]{20}\.[^;]+;/);
    expect(cookie.split('; ')).toEqual(expect.arrayContaining(['Secure', 'HttpOnly', 'SameSite=lax']));
  });

  it('limits new learners per client address and says when to come back', async () => {
    await visit('192.0.2.3');
    await visit('192.0.2.3');
    const refused = await visit('192.0.2.3');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('30');
    expect(await refused.text()).toBe('Too many new learners from your address; try again in 30 s.\n');
    expect(refused.headers.get('set-cookie')).toBeNull();
    expect((await visit('192.0.2.4')).status).toBe(200);
  });

  it('refuses writes to pages: the API takes every write', async () => {
    const response = await proxy(new NextRequest('http://127.0.0.1:3000/', { method: 'POST', body: '{}' }));
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
  });

  it('never limits a learner who already has an identity', async () => {
    const first = await visit('192.0.2.5');
    const cookie = (first.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    for (let i = 0; i < 5; i++) {
      const response = await visit('192.0.2.5', cookie);
      expect(response.status).toBe(200);
      expect(response.headers.get('set-cookie')).toBeNull();
    }
  });

  it('answers a guessed instructor page without an instructor session with 403 and no data', async () => {
    const guess = await proxy(new NextRequest('http://127.0.0.1:3000/instructor/cohorts/coh-123', { headers: { 'x-forwarded-for': '192.0.2.50' } }));
    expect(guess.status).toBe(403);
    expect(await guess.text()).toBe('Instructors only: sign in at /instructor/sign-in\n');
    const signIn = await proxy(new NextRequest('http://127.0.0.1:3000/instructor/sign-in', { headers: { 'x-forwarded-for': '192.0.2.51' } }));
    expect(signIn.status).not.toBe(403);
    const withSession = await proxy(
      new NextRequest('http://127.0.0.1:3000/instructor/cohorts/coh-123', { headers: { 'x-forwarded-for': '192.0.2.52', cookie: 'iw_instructor=some-token' } }),
    );
    expect(withSession.status).not.toBe(403);
  });
});
