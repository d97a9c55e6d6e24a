import { learnerRoute } from '../../../../src/api/api-route';
import { learnerEventStream } from '../../../../src/cohorts/learner-events';

/** The learner page's live line to their cohort: broadcasts, a reset by the instructor, a lowered hand. */
export const GET = learnerRoute(
  async ({ request, learnerId, services }) =>
    new Response(learnerEventStream({ db: services.db, bus: services.progress, learnerId, signal: request.signal }), {
      headers: {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        'x-accel-buffering': 'no',
      },
    }),
);
