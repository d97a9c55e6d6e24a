// An instructor puts a learner's cluster at the start of step N: the lab's cleanup and setup, then
// the solutions of the steps before N, in order, against that learner's cluster. "Reset this
// step" is the same with N = the step the learner is on. Progress is not touched: the learner
// still presses Check, and the check decides.

import type { Lab } from '@istio-workshop/labs';
import { runLabScript, type LabScriptResult } from '../labs/run-lab-script';

export interface ReplayStep {
  script: string;
  ok: boolean;
  exitCode: number | null;
  output: string;
}

export interface FastForwardResult {
  ok: boolean;
  ran: ReplayStep[];
  /** The steps whose solutions ran (those before the target that have one). */
  replayed: string[];
}

export class FastForwardError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FastForwardError';
  }
}

/** The scripts that bring a cluster to the start of `stepId`, in the order they run. */
export function fastForwardPlan(lab: Pick<Lab, 'setup' | 'cleanup' | 'steps' | 'id'>, stepId: string): { scripts: string[]; replayed: string[] } {
  const index = lab.steps.findIndex((s) => s.id === stepId);
  if (index < 0) throw new FastForwardError(`lab ${lab.id} has no step "${stepId}"`);
  const earlier = lab.steps.slice(0, index).filter((s) => s.solution);
  return {
    scripts: [lab.cleanup, lab.setup, ...earlier.map((s) => s.solution)].filter((s): s is string => Boolean(s)),
    replayed: earlier.map((s) => s.id),
  };
}

export async function fastForward(options: {
  lab: Pick<Lab, 'setup' | 'cleanup' | 'steps' | 'id' | 'dir'>;
  stepId: string;
  kubeconfig: string;
  run?: typeof runLabScript;
}): Promise<FastForwardResult> {
  const { scripts, replayed } = fastForwardPlan(options.lab, options.stepId);
  const run = options.run ?? runLabScript;
  const ran: ReplayStep[] = [];
  for (const script of scripts) {
    const result: LabScriptResult = await run({ labDir: options.lab.dir, script, kubeconfig: options.kubeconfig, timeoutMs: 5 * 60_000 });
    ran.push({ script, ok: result.ok, exitCode: result.exitCode, output: result.output.slice(-2000) });
    // Stop at the first failure: later solutions assume what the earlier ones made.
    if (!result.ok) return { ok: false, ran, replayed };
  }
  return { ok: true, ran, replayed };
}
