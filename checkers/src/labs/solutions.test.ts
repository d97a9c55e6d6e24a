import path from 'node:path';
import { loadLabs } from '@istio-workshop/labs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baselineCluster, startCheckHarness, type CheckHarness } from '../testing';
import { simulateMesh } from '../testing/mesh-simulator';
import { SolutionRunner } from '../testing/solution-runner';

/**
 * Lab content is executable (istio.io's test.sh idea, without a cluster): replay each lab's setup
 * and step solutions on the baseline cluster; every state check must fail before its step's solution
 * and pass after it, and every probe check must pass after its step against the mesh simulator's
 * view of that state. A lab joins this list once its content and checks exist.
 */
const replayed = ['l01-sidecar-injection', 'l02-ingress-gateway', 'l03-subsets', 'l04-header-routing'];

let h: CheckHarness;
beforeAll(async () => {
  h = await startCheckHarness({ requireHints: true });
});
afterAll(async () => {
  await h.close();
});

const labs = loadLabs().labs.filter((l) => replayed.includes(l.id));

describe('solutions replayed against the checks', () => {
  for (const lab of labs) {
    it(`${lab.id}: each state step passes right after its solution and not before; each probe passes after`, async () => {
      const runner = new SolutionRunner(baselineCluster());
      if (lab.setup) runner.runScript(path.join(lab.dir, lab.setup));
      for (const step of lab.steps) {
        if (step.check === 'state') {
          h.api.set(runner.state());
          const before = await h.run(lab.id, step.id);
          expect(before.outcome, `${step.id} before its solution`).toBe('failed');
        }
        if (step.solution) runner.runScript(path.join(lab.dir, step.solution));
        if (step.check === 'state' || step.check === 'probe') {
          const state = runner.state();
          h.api.set(state);
          simulateMesh(h, state);
          const after = await h.run(lab.id, step.id);
          expect(after.outcome, `${step.id}: ${JSON.stringify(after.assertions.filter((a) => a.status !== 'pass'))}`).toBe('passed');
        }
      }
    });
  }
});
