import type { EnvironmentService } from '@istio-workshop/clusters';
import type { Kysely } from 'kysely';
import type { PortalDatabase } from '../db/database-schema';
import { logger } from '../observability/logger';
import { prewarmWanted } from './cohort-store';

/**
 * Sets the warm pool to what cohorts still need. Called when a cohort is made, joined, ended or
 * extended, at start, and every minute (a scheduled cohort enters its lead time with no request);
 * a failure is logged (learners then wait for a fresh environment).
 */
export async function applyPrewarm(db: Kysely<PortalDatabase>, environments: EnvironmentService, leadMinutes: number): Promise<number> {
  try {
    const wanted = await prewarmWanted(db, { leadMinutes });
    await environments.prewarm(wanted);
    return wanted;
  } catch (error) {
    logger().error({ err: error }, 'could not set the warm pool for cohorts');
    return 0;
  }
}

/**
 * Re-reads the target every `everyMs` and sets it when it changed (setting it logs and pumps the
 * pool, so an unchanged target is left alone). Returns a stop function.
 */
export function schedulePrewarm(db: Kysely<PortalDatabase>, environments: EnvironmentService, leadMinutes: number, everyMs = 60_000): () => void {
  let last: number | undefined;
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    prewarmWanted(db, { leadMinutes })
      .then(async (wanted) => {
        if (wanted !== last) await environments.prewarm(wanted);
        last = wanted;
      })
      .catch((error: unknown) => logger().error({ err: error }, 'could not set the warm pool for cohorts'))
      .finally(() => {
        running = false;
      });
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
