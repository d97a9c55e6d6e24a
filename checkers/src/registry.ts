import type { StepCheck } from './check-api';
import { allChecks } from './labs';

/** Builds the `labId/stepId` → check map; a duplicate key is a programming error, reported at load. */
export function buildRegistry(checks: StepCheck[]): Map<string, StepCheck> {
  const map = new Map<string, StepCheck>();
  for (const check of checks) {
    if (map.has(check.key)) throw new Error(`two checks are registered for ${check.key}`);
    map.set(check.key, check);
  }
  return map;
}

export const checkRegistry: ReadonlyMap<string, StepCheck> = buildRegistry(allChecks);

export function findCheck(labId: string, stepId: string): StepCheck | undefined {
  return checkRegistry.get(`${labId}/${stepId}`);
}
