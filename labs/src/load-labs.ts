import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { LabLoadError } from './lab-load-error';
import { labFileSchema, modulesFileSchema, type Lab, type LabCatalog, type LabStep } from './lab-schema';

/** The repo's own labs folder (this package's root). */
export const defaultLabsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// Folders of this package that are not labs.
// shared: scripts several labs' setups call (labs/shared), not a lab.
const notLabs = new Set(['src', 'shared', 'node_modules']);

function issuesOf(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`);
}

function readYaml(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new LabLoadError(file, [`cannot read: ${(cause as Error).message}`]);
  }
  try {
    return parseYaml(text);
  } catch (cause) {
    throw new LabLoadError(file, [`not valid YAML: ${(cause as Error).message.split('\n')[0]}`]);
  }
}

/** Loads one lab folder; throws LabLoadError naming the file and every bad field. */
export function loadLab(dir: string): Lab {
  const labFile = path.join(dir, 'lab.yaml');
  if (!existsSync(labFile)) throw new LabLoadError(labFile, ['missing: every lab folder needs a lab.yaml']);
  const parsed = labFileSchema.safeParse(readYaml(labFile));
  if (!parsed.success) throw new LabLoadError(labFile, issuesOf(parsed.error));
  const lab = parsed.data;
  const problems: string[] = [];
  if (lab.id !== path.basename(dir)) problems.push(`id: "${lab.id}" must equal the folder name "${path.basename(dir)}"`);
  const stepIds = new Set<string>();
  lab.steps.forEach((step, i) => {
    if (stepIds.has(step.id)) problems.push(`steps.${i}.id: "${step.id}" is used by an earlier step`);
    stepIds.add(step.id);
    if (step.solution && !existsSync(path.join(dir, step.solution)))
      problems.push(`steps.${i}.solution: file "${step.solution}" does not exist`);
  });
  for (const key of ['setup', 'cleanup'] as const) {
    const rel = lab[key];
    if (rel && !existsSync(path.join(dir, rel))) problems.push(`${key}: file "${rel}" does not exist`);
  }
  const lessonPath = path.join(dir, 'index.mdx');
  if (!existsSync(lessonPath)) problems.push('index.mdx: missing (the lesson of this lab)');
  if (problems.length) throw new LabLoadError(labFile, problems);
  const hash = createHash('sha256').update(readFileSync(labFile)).update(readFileSync(lessonPath));
  return { ...lab, dir, lessonPath, contentVersion: hash.digest('hex').slice(0, 12) };
}

/**
 * Loads modules.yaml and every lab folder under `labsDir`. Any broken lab fails the whole load:
 * a lab that silently vanished from the catalog is worse than a loud error at start.
 */
export function loadLabs(labsDir: string = defaultLabsDir): LabCatalog {
  const modulesFile = path.join(labsDir, 'modules.yaml');
  const modulesParsed = modulesFileSchema.safeParse(readYaml(modulesFile));
  if (!modulesParsed.success) throw new LabLoadError(modulesFile, issuesOf(modulesParsed.error));
  const modules = [...modulesParsed.data.modules].sort((a, b) => a.order - b.order);
  const moduleIds = new Set(modules.map((m) => m.id));

  const labs: Lab[] = [];
  const errors: LabLoadError[] = [];
  // The ignore comment keeps Next's file tracing from copying the whole repo into the portal build.
  for (const name of readdirSync(/* turbopackIgnore: true */ labsDir).sort()) {
    const dir = path.join(labsDir, name);
    if (notLabs.has(name) || name.startsWith('.') || !statSync(dir).isDirectory()) continue;
    try {
      const lab = loadLab(dir);
      if (!moduleIds.has(lab.module))
        throw new LabLoadError(path.join(dir, 'lab.yaml'), [
          `module: "${lab.module}" is not listed in modules.yaml (known: ${[...moduleIds].join(', ')})`,
        ]);
      labs.push(lab);
    } catch (error) {
      if (error instanceof LabLoadError) errors.push(error);
      else throw error;
    }
  }
  const ids = new Set(labs.map((l) => l.id));
  for (const lab of labs) {
    const missing = lab.prerequisites.filter((p) => !ids.has(p));
    if (missing.length)
      errors.push(
        new LabLoadError(path.join(lab.dir, 'lab.yaml'), [`prerequisites: unknown lab(s) ${missing.join(', ')}`]),
      );
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1)
    throw new LabLoadError(
      labsDir,
      errors.map((e) => e.message),
    );
  const moduleOrder = new Map(modules.map((m) => [m.id, m.order]));
  labs.sort((a, b) => (moduleOrder.get(a.module) ?? 0) - (moduleOrder.get(b.module) ?? 0) || a.order - b.order);
  return { modules, labs };
}

export type FoundStep = { lab: Lab; step: LabStep } | { error: string };

/** Finds a lab and one of its steps, or says which is unknown. */
export function findStep(catalog: LabCatalog, labId: string, stepId: string): FoundStep {
  const lab = catalog.labs.find((l) => l.id === labId);
  if (!lab) return { error: `unknown lab "${labId}"` };
  const step = lab.steps.find((s) => s.id === stepId);
  if (!step) return { error: `lab "${labId}" has no step "${stepId}" (steps: ${lab.steps.map((s) => s.id).join(', ')})` };
  return { lab, step };
}
