import { loadCohortGrid } from '../../../../../src/cohorts/load-grid';
import { instructorRoute } from '../../../../../src/instructors/instructor-route';

/** The cohort's grid as it is now (the page then follows /events for updates). */
export const GET = instructorRoute<{ cohortId: string }>(async ({ params, instructor, services }) => ({
  grid: await loadCohortGrid(services, instructor, params.cohortId),
}));
