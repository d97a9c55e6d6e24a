import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const appDir = path.resolve(import.meta.dirname, '../../app');

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? routeFiles(path.join(dir, e.name)) : e.name === 'route.ts' ? [path.join(dir, e.name)] : [],
  );
}

// The CSRF and content-type checks live in the route wrappers (learnerRoute, instructorRoute,
// publicRoute, and dashboardRoute, which is learnerRoute for an addon mount); a state-changing handler
// exported any other way would skip them.
describe('state-changing routes', () => {
  const files = routeFiles(appDir);

  it('are found', () => {
    expect(files.some((f) => f.includes(`${path.sep}api${path.sep}`))).toBe(true);
  });

  it.each(files.map((f) => [path.relative(appDir, f), f]))('%s: every POST/PUT/PATCH/DELETE goes through a guarded route wrapper', (_name, file) => {
    const source = readFileSync(file, 'utf8');
    expect(source).not.toMatch(/export\s+(async\s+)?function\s+(POST|PUT|PATCH|DELETE)\b/);
    expect(readFileSync(path.join(appDir, '..', 'src', 'dashboards', 'dashboard-route.ts'), 'utf8')).toMatch(/return learnerRoute</);
    for (const m of source.matchAll(/export\s+const\s+(POST|PUT|PATCH|DELETE)\s*=\s*(\w+)/g)) expect(['learnerRoute', 'instructorRoute', 'publicRoute', 'dashboardRoute']).toContain(m[2]);
  });
});

// Every instructor API answers only a signed-in instructor: all its handlers, reads included, go
// through instructorRoute; the sign-ins themselves (password, and the OIDC start and callback)
// are the only public handlers.
const publicInstructorHandlers = new Set([
  `${path.join('api', 'instructor', 'session', 'route.ts')} POST`,
  `${path.join('api', 'instructor', 'oidc', 'start', 'route.ts')} GET`,
  `${path.join('api', 'instructor', 'oidc', 'callback', 'route.ts')} GET`,
]);

describe('instructor routes', () => {
  const files = routeFiles(path.join(appDir, 'api', 'instructor'));

  it.each(files.map((f) => [path.relative(appDir, f), f]))('%s: every handler requires an instructor session', (name, file) => {
    const source = readFileSync(file, 'utf8');
    const handlers = [...source.matchAll(/export\s+const\s+(GET|HEAD|POST|PUT|PATCH|DELETE)\s*=\s*(\w+)/g)];
    expect(handlers.length).toBeGreaterThan(0);
    expect(source).not.toMatch(/export\s+(async\s+)?function\s+(GET|HEAD|POST|PUT|PATCH|DELETE)\b/);
    for (const [, method, wrapper] of handlers) {
      expect(wrapper).toBe(publicInstructorHandlers.has(`${name} ${method}`) ? 'publicRoute' : 'instructorRoute');
    }
  });
});

// Without an issuer the OIDC routes do not exist as far as a browser can tell.
describe('OIDC routes without an issuer configured', () => {
  it.each(['start', 'callback'])('%s answers 404', async (which) => {
    process.env.WORKSHOP_TOKEN_SECRET ??= 'route-guards-test-secret-'.padEnd(40, 'x');
    delete process.env.PORTAL_OIDC_ISSUER;
    const { GET } = (await import(path.join(appDir, 'api', 'instructor', 'oidc', which, 'route.ts'))) as {
      GET: (request: Request, context: { params: Promise<object> }) => Promise<Response>;
    };
    const response = await GET(new Request(`http://127.0.0.1/api/instructor/oidc/${which}?code=c&state=s`), { params: Promise.resolve({}) });
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain('OIDC sign-in is not configured');
  });
});
