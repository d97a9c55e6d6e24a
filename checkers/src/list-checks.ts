import type { StepCheck } from './check-api';
import { labCatalog } from './lab-steps';
import { checkRegistry } from './registry';
import { stepOutline } from './step-outlines';

export interface ListedStep {
  labId: string;
  stepId: string;
  /** What lab.yaml declares (`none` = no check). */
  kind: 'state' | 'probe' | 'telemetry' | 'none';
  /** A check is registered for this step (always false for `none`). */
  registered: boolean;
  /** The step is not in any lab.yaml but has a registered check (a renamed step?). */
  orphan?: boolean;
  /** What the check looks for (its assertion titles on the solved state); empty for `none`. */
  looksFor: readonly string[];
}

export interface CheckList {
  steps: ListedStep[];
  /** Why lab.yaml files could not be read, if they could not. */
  labsError?: string;
}

/** Every lab step with its check kind, plus registered checks that no lab.yaml declares. */
export function listChecks(registry: ReadonlyMap<string, StepCheck> = checkRegistry): CheckList {
  const { catalog, error } = labCatalog();
  const steps: ListedStep[] = [];
  const seen = new Set<string>();
  for (const lab of catalog?.labs ?? []) {
    for (const step of lab.steps) {
      const key = `${lab.id}/${step.id}`;
      seen.add(key);
      steps.push({ labId: lab.id, stepId: step.id, kind: step.check, registered: registry.has(key), looksFor: stepOutline(lab.id, step.id) });
    }
  }
  for (const check of registry.values()) {
    if (!seen.has(check.key)) steps.push({ labId: check.labId, stepId: check.stepId, kind: check.kind, registered: true, orphan: true, looksFor: stepOutline(check.labId, check.stepId) });
  }
  return { steps, ...(error ? { labsError: error } : {}) };
}
