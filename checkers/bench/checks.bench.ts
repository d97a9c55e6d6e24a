/**
 * Times each lab's full check run against the fake API server and the mesh simulator: the lab's
 * setup and step solutions are replayed (as in labs/solutions.test.ts) and every step's check runs
 * right after its own solution, with the real poll budgets (probes need 2 good samples 1 s apart,
 * telemetry waits for the simulated scrape). Per lab it prints the sum over its steps and the
 * slowest step; the modelled latency (L06's ~6 s page, L11's 3 s timeout) is part of the time,
 * as it would be on a cluster. Then the latency of one state check alone.
 */
import path from 'node:path';
import { loadLabs } from '@istio-workshop/labs';
import { baselineCluster, resetMesh, simulateMesh, SolutionRunner, startCheckHarness, type CheckHarness } from '../src/testing';

interface LabTiming {
  ms: number;
  slowest: { step: string; ms: number };
  failed: string[];
}

async function runLab(h: CheckHarness, lab: ReturnType<typeof loadLabs>['labs'][number]): Promise<LabTiming> {
  resetMesh(h);
  const runner = new SolutionRunner(baselineCluster());
  if (lab.setup) runner.runScript(path.join(lab.dir, lab.setup));
  const timing: LabTiming = { ms: 0, slowest: { step: '', ms: 0 }, failed: [] };
  for (const step of lab.steps) {
    if (step.solution) runner.runScript(path.join(lab.dir, step.solution));
    if (step.check === 'none') continue;
    const state = runner.state();
    h.api.set(state);
    simulateMesh(h, state);
    const started = performance.now();
    // `limits: {}` replaces the harness' test caps with the runtime's real poll budgets.
    const r = await h.run(lab.id, step.id, { limits: {}, timeoutMs: 120_000 });
    const ms = performance.now() - started;
    timing.ms += ms;
    if (ms > timing.slowest.ms) timing.slowest = { step: step.id, ms };
    if (r.outcome !== 'passed') timing.failed.push(`${step.id}:${r.outcome}`);
  }
  return timing;
}

const h = await startCheckHarness();
let exit = 0;
try {
  for (const lab of loadLabs().labs) {
    const t = await runLab(h, lab);
    const note = t.failed.length ? `  # not passing: ${t.failed.join(', ')}` : '';
    if (t.failed.length) exit = 1;
    process.stdout.write(`checks.${lab.id}: ${Math.round(t.ms)} ms (slowest step ${t.slowest.step} ${Math.round(t.slowest.ms)} ms)${note}\n`);
  }
  const state = baselineCluster();
  h.api.set(state);
  simulateMesh(h, state);
  const reads = 50;
  const started = performance.now();
  for (let i = 0; i < reads; i++) await h.run('l03-subsets', 'destination-rules');
  process.stdout.write(`checks.state-check-latency: ${((performance.now() - started) / reads).toFixed(1)} ms\n`);
} finally {
  await h.close();
}
process.exitCode = exit;
