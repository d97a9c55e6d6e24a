import { afterAll, describe, expect, it, vi } from 'vitest';
import { dashboardRoute } from './dashboard-route';

// No learner cookie on this request: what a browser without a session (or a script) sends.
vi.mock('next/headers', () => ({ cookies: async () => ({ get: () => undefined }) }));

const secret = process.env.WORKSHOP_TOKEN_SECRET;
process.env.WORKSHOP_TOKEN_SECRET = secret ?? 'dashboard-route-test-secret-0123456789abcdef';
afterAll(() => {
  if (secret === undefined) delete process.env.WORKSHOP_TOKEN_SECRET;
});

describe('an addon mount', () => {
  it('answers 403 without a learner session, before looking for a cluster', async () => {
    const GET = dashboardRoute('kiali');
    const response = await GET(new Request('http://portal.test/kiali/'), { params: Promise.resolve({}) });
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ error: { code: 'not-allowed', message: 'no learner session: reload the page to get one' } });
  });
});
