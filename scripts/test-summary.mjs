#!/usr/bin/env node
// Prints one closing line "tests: N passed, N failed" from the vitest JSON reports of this run.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const dir = process.argv[2] ?? '.data/test-reports';
let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync(dir)) {
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
    const report = JSON.parse(readFileSync(path.join(dir, name), 'utf8'));
    passed += report.numPassedTests ?? 0;
    failed += report.numFailedTests ?? 0;
    skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  }
}
console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
