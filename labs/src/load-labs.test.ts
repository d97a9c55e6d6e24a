import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LabLoadError } from './lab-load-error';
import { findStep, loadLabs } from './load-labs';

const modules = `modules:\n  - {id: traffic, title: Traffic, summary: Routing things., order: 1}\n`;

function labYaml(id: string, extra = ''): string {
  return `id: ${id}
title: A lab
summary: Teaches a thing.
module: traffic
order: 1
durationMinutes: 20
level: beginner
steps:
  - {id: first-step, title: Do it, check: state, solution: solutions/first-step.sh}
${extra}`;
}

function makeTree(labs: Record<string, { yaml?: string; mdx?: boolean; solution?: boolean }>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'labs-'));
  writeFileSync(path.join(root, 'modules.yaml'), modules);
  for (const [id, lab] of Object.entries(labs)) {
    const dir = path.join(root, id);
    mkdirSync(path.join(dir, 'solutions'), { recursive: true });
    if (lab.yaml !== undefined) writeFileSync(path.join(dir, 'lab.yaml'), lab.yaml);
    if (lab.mdx !== false) writeFileSync(path.join(dir, 'index.mdx'), '<Step id="first-step">\n\nHi\n\n</Step>\n');
    if (lab.solution !== false) writeFileSync(path.join(dir, 'solutions', 'first-step.sh'), 'true\n');
  }
  return root;
}

function loadError(root: string): LabLoadError {
  try {
    loadLabs(root);
  } catch (error) {
    if (error instanceof LabLoadError) return error;
    throw error;
  }
  throw new Error('expected loadLabs to fail');
}

describe('loadLabs', () => {
  it('loads a valid lab with a content version', () => {
    const catalog = loadLabs(makeTree({ 'l01-x': { yaml: labYaml('l01-x') } }));
    expect(catalog.labs).toHaveLength(1);
    expect(catalog.labs[0]?.contentVersion).toMatch(/^[0-9a-f]{12}$/);
    expect(catalog.labs[0]?.prerequisites).toEqual([]);
  });

  it.each([
    ['a missing lab.yaml', { 'l01-x': {} }, 'missing: every lab folder needs a lab.yaml'],
    ['a bad field type', { 'l01-x': { yaml: labYaml('l01-x').replace('20', 'twenty') } }, 'durationMinutes'],
    ['an unknown field', { 'l01-x': { yaml: labYaml('l01-x', 'colour: red') } }, 'colour'],
    ['an id that differs from the folder', { 'l01-x': { yaml: labYaml('l01-y') } }, 'must equal the folder name'],
    ['a missing solution file', { 'l01-x': { yaml: labYaml('l01-x'), solution: false } }, 'steps.0.solution'],
    ['a missing lesson', { 'l01-x': { yaml: labYaml('l01-x'), mdx: false } }, 'index.mdx: missing'],
    ['an unknown module', { 'l01-x': { yaml: labYaml('l01-x').replace('module: traffic', 'module: nope') } }, 'module: "nope"'],
    ['invalid YAML', { 'l01-x': { yaml: 'id: [unclosed' } }, 'not valid YAML'],
    ['an unknown check kind', { 'l01-x': { yaml: labYaml('l01-x').replace('check: state', 'check: vibes') } }, 'steps.0.check'],
    ['an unknown prerequisite', { 'l01-x': { yaml: labYaml('l01-x', 'prerequisites: [l00-none]') } }, 'unknown lab(s) l00-none'],
  ])('fails loudly on %s, naming the file and field', (_name, tree, fragment) => {
    const error = loadError(makeTree(tree));
    expect(error.message).toContain('lab.yaml');
    expect(error.message).toContain(fragment);
  });

  it('reports every broken lab, not just the first', () => {
    const error = loadError(makeTree({ 'l01-a': {}, 'l02-b': {} }));
    expect(error.message).toContain('l01-a');
    expect(error.message).toContain('l02-b');
  });

  it('finds steps and explains unknown ones', () => {
    const catalog = loadLabs(makeTree({ 'l01-x': { yaml: labYaml('l01-x') } }));
    expect(findStep(catalog, 'l01-x', 'first-step')).toHaveProperty('step.id', 'first-step');
    expect(findStep(catalog, 'l01-x', 'nope')).toEqual({
      error: 'lab "l01-x" has no step "nope" (steps: first-step)',
    });
    expect(findStep(catalog, 'zz', 'nope')).toEqual({ error: 'unknown lab "zz"' });
  });
});
