// The portal API answers bad input with a clear error naming what is wrong, and never lets one
// learner use another's environment. Plain HTTP against the platform as `npm start` runs it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type RunningPlatform } from '../support/platform';

let platform: RunningPlatform;

/** A browser-like learner: keeps the signed cookie the portal hands out. */
async function newLearner(): Promise<(path: string, init?: RequestInit) => Promise<Response>> {
  const first = await fetch(`${platform.portalUrl}/`);
  const cookie = (first.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  expect(cookie).toMatch(/^iw_learner=lrn-[0-9a-f]{20}\./);
  return (path, init) =>
    fetch(`${platform.portalUrl}${path}`, { ...init, headers: { cookie, 'content-type': 'application/json', ...init?.headers } });
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
      headers: { cookie: 'iw_learner=lrn-0123456789abcdef0123.forged' },
    });
    // The proxy replaces a forged cookie with a fresh identity; the forged one never acts.
    const body = (await res.json()) as { environment?: { id: string } };
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toMatch(/^iw_learner=lrn-(?!0123456789abcdef0123)/);
    expect(body.environment?.id).toBeTruthy();
  });

  it.each([
    ['an unknown lab', '/api/labs/l99-nope/environment', { method: 'POST' }, 404, 'unknown lab "l99-nope"'],
    ['an unknown step', '/api/labs/l01-sidecar-injection/steps/nope/check', { method: 'POST' }, 404, 'has no step "nope"'],
    ['a step without a check', '/api/labs/l01-sidecar-injection/steps/explore-control-plane/check', { method: 'POST' }, 400, 'has no check'],
    ['a body that is not JSON', '/api/labs/l01-sidecar-injection/steps/deploy-workloads/reveal', { method: 'POST', body: '{nope' }, 400, 'not valid JSON'],
    ['a bad field', '/api/labs/l01-sidecar-injection/steps/deploy-workloads/reveal', { method: 'POST', body: '{"what":"answers"}' }, 400, 'what:'],
    ['an oversized body', '/api/labs/l01-sidecar-injection/steps/deploy-workloads/reveal', { method: 'POST', body: JSON.stringify({ what: 'x'.repeat(70_000) }) }, 400, 'larger than 64 KiB'],
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

  it('serves health and Prometheus metrics', async () => {
    const health = await fetch(`${platform.portalUrl}/healthz`);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    const metrics = await (await fetch(`${platform.portalUrl}/metrics`)).text();
    expect(metrics).toContain('portal_api_errors_total');
    expect(metrics).toContain('portal_environment_assignments_total');
  });
});
