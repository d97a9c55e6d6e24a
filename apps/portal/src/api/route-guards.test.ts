import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const appDir = path.resolve(import.meta.dirname, '../../app');

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? routeFiles(path.join(dir, e.name)) : e.name === 'route.ts' ? [path.join(dir, e.name)] : [],
  );
}

// The CSRF and content-type checks live in learnerRoute; a state-changing handler exported any
// other way would skip them.
describe('state-changing routes', () => {
  const files = routeFiles(appDir);

  it('are found', () => {
    expect(files.some((f) => f.includes(`${path.sep}api${path.sep}`))).toBe(true);
  });

  it.each(files.map((f) => [path.relative(appDir, f), f]))('%s: every POST/PUT/PATCH/DELETE goes through learnerRoute', (_name, file) => {
    const source = readFileSync(file, 'utf8');
    expect(source).not.toMatch(/export\s+(async\s+)?function\s+(POST|PUT|PATCH|DELETE)\b/);
    for (const m of source.matchAll(/export\s+const\s+(POST|PUT|PATCH|DELETE)\s*=\s*(\w+)/g)) expect(m[2]).toBe('learnerRoute');
  });
});
