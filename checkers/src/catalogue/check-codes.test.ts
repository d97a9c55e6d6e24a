import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCodes, type CheckCodeEntry } from './check-codes';
import { finding } from './findings';
import { templateParams } from './render-template';

const srcRoot = join(__dirname, '..');
const codeLiteral = /['"`]((?:L\d{2}|MESH|PROBE)\.[A-Z0-9_]+|IST\d{4})['"`]/g;
/** `L03.DR_${svc}`, `${lab}.MIX_…`, `${code}_NAME`: codes computed at run time cannot be catalogued. */
const computedCode = /`(?:(?:L\d{2}|MESH|PROBE)\.[A-Z0-9_]*\$\{|\$\{[^}]*\}\.[A-Z][A-Z0-9_]+`|\$\{[^}]*[cC]ode\}_[A-Z])/g;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'testing' ? [] : sources(p);
    return p.endsWith('.ts') && !p.endsWith('.test.ts') && !p.endsWith('check-codes.ts') ? [p] : [];
  });
}

const files = sources(srcRoot).map((p) => ({ path: relative(srcRoot, p), text: readFileSync(p, 'utf8') }));
const used = new Map<string, string[]>();
for (const f of files) for (const m of f.text.matchAll(codeLiteral)) used.set(m[1]!, [...(used.get(m[1]!) ?? []), f.path]);

describe('check code catalogue', () => {
  it('holds every code the checks use', () => {
    const missing = [...used.entries()].filter(([code]) => !Object.hasOwn(checkCodes, code)).map(([code, where]) => `${code} (${where.join(', ')})`);
    expect(missing).toEqual([]);
  });

  it('holds no code that nothing uses', () => {
    expect(Object.keys(checkCodes).filter((code) => !used.has(code))).toEqual([]);
  });

  it('no check computes a code at run time', () => {
    const computed = files.flatMap((f) => [...f.text.matchAll(computedCode)].map((m) => `${f.path}: ${m[0]}`));
    expect(computed).toEqual([]);
  });

  it('every entry has a concept, an istio.io docs path and placeholders that render', () => {
    for (const [code, e] of Object.entries(checkCodes)) {
      const entry: CheckCodeEntry = e;
      expect(entry.concept.name, code).not.toBe('');
      expect(entry.concept.docs, code).toMatch(/^\/latest\/docs\/[A-Za-z0-9/_#.-]+$/);
      const templates = [entry.title, entry.hint, ...Object.values(entry.hints ?? {})];
      const params = Object.fromEntries(templates.flatMap(templateParams).map((p) => [p, `<${p}>`]));
      const f = finding(code as keyof typeof checkCodes, params);
      expect(f.title, code).not.toMatch(/\{[a-zA-Z]+\}/);
      for (const name of Object.keys(entry.hints ?? {})) expect(f.fail({ expected: 'e', actual: 'a', next: 'n', hint: name }).hint, code).toBeTruthy();
    }
  });

  it('a missing parameter or an unknown hint name is a bug, not a "{name}" shown to a learner', () => {
    expect(() => finding('L03.DR', { service: 'reviews' })).toThrow(/no value for \{subsets\}/);
    expect(() => finding('L03.DR', { service: 'reviews', subsets: 'v1' }).fail({ expected: 'e', actual: 'a', next: 'n', hint: 'nope' })).toThrow(/no hint "nope"/);
  });
});
