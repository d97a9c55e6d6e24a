// The learner page's event stream: what the instructor sends this learner (broadcasts to their
// cohort, a reset of their environment, their hand lowered) and the latest broadcast on connect.

import type { Kysely } from 'kysely';
import type { PortalDatabase } from '../db/database-schema';
import { latestBroadcast } from './cohort-help';
import { cohortsOfLearner } from './cohort-store';
import { sseFrame } from './grid-stream';
import type { ProgressBus } from './progress-events';

export function learnerEventStream(options: {
  db: Kysely<PortalDatabase>;
  bus: ProgressBus;
  learnerId: string;
  signal: AbortSignal;
}): ReadableStream<Uint8Array> {
  let off = () => {};
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      let closed = false;
      const close = () => {
        if (closed) return;
        closed = true;
        off();
        clearInterval(heartbeat);
        try {
          controller.close();
        } catch {
          // the consumer went first
        }
      };
      const send = (event: string, data: unknown) => {
        if (!closed) controller.enqueue(sseFrame(event, data));
      };
      let cohortIds = new Set((await cohortsOfLearner(options.db, options.learnerId)).map((c) => c.id));
      off = options.bus.subscribe((e) => {
        if (e.kind === 'joined' && e.learnerId === options.learnerId && e.cohortId)
          cohortIds = new Set([...cohortIds, e.cohortId]);
        if (e.kind === 'broadcast' && e.cohortId && cohortIds.has(e.cohortId))
          send('broadcast', { message: e.message, sentAt: e.at });
        if (e.learnerId !== options.learnerId) return;
        if (e.kind === 'reset') send('reset', { at: e.at });
        if (e.kind === 'hand-lowered') send('hand-lowered', { at: e.at });
      });
      heartbeat = setInterval(() => {
        if (!closed) controller.enqueue(new TextEncoder().encode(': keep-alive\n\n'));
      }, 15_000);
      options.signal.addEventListener('abort', close, { once: true });
      if (options.signal.aborted) return close();
      for (const id of cohortIds) {
        const last = await latestBroadcast(options.db, id);
        // Only a recent one: yesterday's "back in 10 minutes" would mislead.
        if (last && Date.now() - Date.parse(last.sentAt) < 60 * 60_000) send('broadcast', last);
      }
      send('ready', { cohorts: [...cohortIds] });
    },
    cancel() {
      off();
      clearInterval(heartbeat);
    },
  });
}
