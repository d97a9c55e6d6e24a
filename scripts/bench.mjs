#!/usr/bin/env node
// `npm run bench`: runs every `bench/*.bench.ts` in the workspaces, one after another (the numbers
// mean more without neighbours competing for the 2 cores), and prints what each reports.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const areas = ['apps/terminal-gateway', 'apps/portal', 'checkers', 'clusters', 'e2e'];
const only = process.argv.slice(2);
let failed = 0;
for (const area of areas) {
  const dir = path.join(root, area, 'bench');
  if (!existsSync(dir)) continue;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).sort()) {
    const rel = path.join(area, 'bench', file);
    if (only.length && !only.some((o) => rel.includes(o))) continue;
    console.log(`\n## ${rel}`);
    const started = Date.now();
    const run = spawnSync(process.execPath, ['--import', 'tsx', rel], { cwd: root, stdio: 'inherit', env: process.env });
    if (run.status !== 0) {
      failed += 1;
      console.log(`bench failed: ${rel} (exit ${run.status})`);
    } else console.log(`(${((Date.now() - started) / 1000).toFixed(1)} s)`);
  }
}
process.exit(failed ? 1 : 0);
