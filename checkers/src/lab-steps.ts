import { loadLabs, type LabCatalog } from '@istio-workshop/labs';

let cached: { catalog?: LabCatalog; error?: string } | undefined;

/**
 * The lab catalog, loaded once. A broken lab.yaml must not stop the checker (it would take every
 * other step down with it), so the load error is kept and reported by callers that need it.
 */
export function labCatalog(): { catalog?: LabCatalog; error?: string } {
  if (!cached) {
    try {
      cached = { catalog: loadLabs() };
    } catch (error) {
      cached = { error: (error as Error).message };
    }
  }
  return cached;
}

/** The kind lab.yaml declares for a step, if the lab and step exist. */
export function declaredStepKind(labId: string, stepId: string): 'state' | 'probe' | 'telemetry' | 'none' | undefined {
  const lab = labCatalog().catalog?.labs.find((l) => l.id === labId);
  return lab?.steps.find((s) => s.id === stepId)?.check;
}
