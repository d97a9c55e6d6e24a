import { loadLabs, type LabCatalog } from '@istio-workshop/labs';

const ttlMs = 30_000;
let cached: { catalog: LabCatalog; at: number } | undefined;

/**
 * The lab catalog, reloaded at most every 30 s (the portal is long-running and authors edit labs).
 * A broken lab.yaml must not stop the checker (it would take every other step down with it), so
 * the load error is returned, not thrown, and not cached.
 */
export function labCatalog(): { catalog?: LabCatalog; error?: string } {
  if (cached && Date.now() - cached.at < ttlMs) return { catalog: cached.catalog };
  try {
    cached = { catalog: loadLabs(), at: Date.now() };
    return { catalog: cached.catalog };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** The kind lab.yaml declares for a step, if the lab and step exist. */
export function declaredStepKind(labId: string, stepId: string): 'state' | 'probe' | 'telemetry' | 'none' | undefined {
  const lab = labCatalog().catalog?.labs.find((l) => l.id === labId);
  return lab?.steps.find((s) => s.id === stepId)?.check;
}
