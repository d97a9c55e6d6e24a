import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadLabs } from '@istio-workshop/labs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baselineCluster, startCheckHarness, type CheckHarness } from '../testing';
import { resetMesh, simulateMesh } from '../testing/mesh-simulator';
import { SolutionRunner } from '../testing/solution-runner';
import { renderStepOutlines, stepOutlines } from '../step-outlines';

/**
 * Lab content is executable (istio.io's test.sh idea, without a cluster): replay each lab's setup
 * and step solutions on the baseline cluster; every state check must fail before its step's solution
 * and pass after it, and every probe and telemetry check must pass after its step against the mesh
 * simulator's view of that state (traffic, Prometheus series and logs derived from the objects).
 * Every lab is replayed: a lab registers once (labs/index.ts `checksByLab`, checked against its
 * lab.yaml by registry.test.ts), and its content is executable from the start.
 */
let h: CheckHarness;
/** What each check looked at on its solved state: the outline the page shows before a check can run. */
const seenOutlines: Record<string, string[]> = {};
const updateOutlines = process.env.UPDATE_STEP_OUTLINES === '1';
beforeAll(async () => {
  h = await startCheckHarness({ requireHints: true });
});
afterAll(async () => {
  await h.close();
  if (updateOutlines) {
    const file = fileURLToPath(new URL('../step-outlines.generated.ts', import.meta.url));
    writeFileSync(file, renderStepOutlines({ ...stepOutlines, ...seenOutlines }));
  }
});

/**
 * The harness caps polls at 300 ms so failing unit cases stay fast; a replay expects passes, and under
 * a loaded full run one 30-request sample can outlast 300 ms, leaving no room for the second good
 * sample that `passesInARow: 2` needs. Give replays room (a passing poll still returns at once).
 */
const replayLimits = { limits: { maxPollTimeoutMs: 5_000, pollIntervalMs: 20 } };

const labs = loadLabs().labs;

describe('solutions replayed against the checks', () => {
  for (const lab of labs) {
    // Probes wait for simulated latency in real time (L06's 6 s page, L11's 3 s timeout).
    it(
      `${lab.id}: each state step passes right after its solution and not before; each probe passes after`,
      { timeout: 60_000 },
      async () => {
        resetMesh(h);
        const runner = new SolutionRunner(baselineCluster());
        if (lab.setup) runner.runScript(path.join(lab.dir, lab.setup));
        for (const step of lab.steps) {
          if (step.check === 'state') {
            const state = runner.state();
            h.api.set(state);
            simulateMesh(h, state);
            const before = await h.run(lab.id, step.id, replayLimits);
            expect(before.outcome, `${step.id} before its solution`).toBe('failed');
          }
          if (step.solution) runner.runScript(path.join(lab.dir, step.solution));
          if (step.check === 'state' || step.check === 'probe' || step.check === 'telemetry') {
            const state = runner.state();
            h.api.set(state);
            simulateMesh(h, state);
            const after = await h.run(lab.id, step.id, replayLimits);
            expect(
              after.outcome,
              `${step.id}: ${JSON.stringify(after.assertions.filter((a) => a.status !== 'pass'))}`,
            ).toBe('passed');
            // Lesson and check must not drift: the lesson's own objects are never "found under another name".
            const renamed = after.assertions.filter(
              (a) => a.status === 'warn' && /found under another name/.test(a.title),
            );
            expect(renamed, `${step.id}: the check expects other names than the lesson uses`).toEqual([]);
            const titles = [...new Set(after.assertions.map((a) => a.title))];
            seenOutlines[`${lab.id}/${step.id}`] = titles;
            if (!updateOutlines)
              expect(
                stepOutlines[`${lab.id}/${step.id}`],
                `${step.id}'s outline is stale: UPDATE_STEP_OUTLINES=1 npx vitest run ${path.relative(process.cwd(), fileURLToPath(import.meta.url))}`,
              ).toEqual(titles);
          }
        }
      },
    );
  }
});
