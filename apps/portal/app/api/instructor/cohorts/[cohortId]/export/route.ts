import { auditLog } from '../../../../../../src/cohorts/audit-log';
import { gridCsv } from '../../../../../../src/cohorts/grid-csv';
import { loadCohortGrid } from '../../../../../../src/cohorts/load-grid';
import { instructorRoute } from '../../../../../../src/instructors/instructor-route';

/** The cohort's results as CSV: one row per learner, one column per checked step. */
export const GET = instructorRoute<{ cohortId: string }>(async ({ params, instructor, services }) => {
  const grid = await loadCohortGrid(services, instructor, params.cohortId);
  await auditLog().write({ kind: 'exported', actor: instructor.id, cohortId: params.cohortId });
  const name = grid.cohort.name.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 60) || 'cohort';
  return new Response(gridCsv(grid), {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${name}-results.csv"`,
      'cache-control': 'no-store',
    },
  });
});
