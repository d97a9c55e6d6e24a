import { cohortForInstructor } from '../../../../../../src/cohorts/cohort-store';
import { cohortGridStream } from '../../../../../../src/cohorts/grid-stream';
import { loadCohortGrid } from '../../../../../../src/cohorts/load-grid';
import { instructorRoute } from '../../../../../../src/instructors/instructor-route';

/** Server-sent events: the grid now, then again whenever one of the cohort's learners acts. */
export const GET = instructorRoute<{ cohortId: string }>(async ({ request, params, instructor, services }) => {
  // Refuse before streaming: a cohort this instructor may not see is a 404, not an empty stream.
  const cohort = await cohortForInstructor(services.db, instructor, params.cohortId);
  const stream = cohortGridStream({
    cohortId: params.cohortId,
    bus: services.progress,
    signal: request.signal,
    // While environments are being pre-warmed the instructor watches them come up step by step.
    refreshMs: cohort.prewarm > 0 ? 3_000 : 30_000,
    load: () => loadCohortGrid(services, instructor, params.cohortId),
  });
  return new Response(stream, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
    },
  });
});
