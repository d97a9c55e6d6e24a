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
// publicRoute); a state-changing handler exported any other way would skip them.
describe('state-changing routes', () => {
  const files = routeFiles(appDir);

  it('are found', () => {
    expect(files.some((f) => f.includes(`${path.sep}api${path.sep}`))).toBe(true);
  });

  it.each(files.map((f) => [path.relative(appDir, f), f]))('%s: every POST/PUT/PATCH/DELETE goes through a guarded route wrapper', (_name, file) => {
    const source = readFileSync(file, 'utf8');
    expect(source).not.toMatch(/export\s+(async\s+)?function\s+(POST|PUT|PATCH|DELETE)\b/);
    for (const m of source.matchAll(/export\s+const\s+(POST|PUT|PATCH|DELETE)\s*=\s*(\w+)/g)) expect(['learnerRoute', 'instructorRoute', 'publicRoute']).toContain(m[2]);
  });
});

// Every instructor API answers only a signed-in instructor: all its handlers, reads included, go
// through instructorRoute (the sign-in itself is the one public handler).
describe('instructor routes', () => {
  const files = routeFiles(path.join(appDir, 'api', 'instructor'));

  it.each(files.map((f) => [path.relative(appDir, f), f]))('%s: every handler requires an instructor session', (name, file) => {
    const source = readFileSync(file, 'utf8');
    const handlers = [...source.matchAll(/export\s+const\s+(GET|HEAD|POST|PUT|PATCH|DELETE)\s*=\s*(\w+)/g)];
    expect(handlers.length).toBeGreaterThan(0);
    expect(source).not.toMatch(/export\s+(async\s+)?function\s+(GET|HEAD|POST|PUT|PATCH|DELETE)\b/);
    for (const [, method, wrapper] of handlers) {
      if (name === path.join('api', 'instructor', 'session', 'route.ts') && method === 'POST') expect(wrapper).toBe('publicRoute');
      else expect(wrapper).toBe('instructorRoute');
    }
  });
});
