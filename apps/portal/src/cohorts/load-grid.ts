import type { Instructor } from '../instructors/instructor-store';
import { labCatalog } from '../labs/lab-catalog';
import type { PortalServices } from '../portal-services';
import { cohortGrid, type CohortGrid, type GridLab } from './cohort-grid';
import { cohortForInstructor } from './cohort-store';

/** The cohort's labs in the cohort's order, with their checked steps (steps without a check have no cell). */
export function gridLabs(labIds: string[]): GridLab[] {
  const byId = new Map(labCatalog().labs.map((l) => [l.id, l]));
  return labIds.flatMap((id) => {
    const lab = byId.get(id);
    if (!lab) return [];
    return [
      {
        id,
        title: lab.title,
        steps: lab.steps.filter((s) => s.check !== 'none').map((s) => ({ id: s.id, title: s.title })),
      },
    ];
  });
}

export async function loadCohortGrid(
  services: PortalServices,
  instructor: Instructor,
  cohortId: string,
): Promise<CohortGrid> {
  const cohort = await cohortForInstructor(services.db, instructor, cohortId);
  const grid = await cohortGrid(services.db, cohort, gridLabs(cohort.labIds), {
    stuckAfterMinutes: services.config.PORTAL_STUCK_AFTER_MINUTES,
    stuckAfterFailures: services.config.PORTAL_STUCK_AFTER_FAILURES,
  });
  if (cohort.prewarm === 0) return grid;
  // The warm pool is shared by every cohort on this host; the instructor sees it fill up.
  const spares = await services.environments.spares();
  return {
    ...grid,
    warm: {
      wanted: Math.max(0, cohort.prewarm - cohort.memberCount),
      spares: spares.map((e) => ({ id: e.id, status: e.status, step: e.step })),
    },
  };
}
