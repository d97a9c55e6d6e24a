// What the portal shows while an environment is being made: which step of how many, and for how long.

import type { EnvironmentRecord } from './environment-store';
import { existingSteps, kindSteps } from './step-names';

export interface ProvisioningProgress {
  step: string | null;
  /** 1-based position of the step in its provider's pipeline, null when unknown (local, not started). */
  stepNumber: number | null;
  stepCount: number;
  stepElapsedMs: number | null;
  /** Since the environment entered its current status (provisioning, or requested while waiting for a slot). */
  totalElapsedMs: number;
}

export function provisioningProgress(env: EnvironmentRecord, now: Date = new Date()): ProvisioningProgress {
  const steps: readonly string[] = env.provider === 'kind' ? kindSteps : env.provider === 'existing' ? existingSteps : [];
  const index = env.step ? steps.indexOf(env.step) : -1;
  return {
    step: env.step,
    stepNumber: index >= 0 ? index + 1 : null,
    stepCount: steps.length,
    stepElapsedMs: env.stepStartedAt ? Math.max(0, now.getTime() - Date.parse(env.stepStartedAt)) : null,
    totalElapsedMs: Math.max(0, now.getTime() - Date.parse(env.statusChangedAt)),
  };
}
