import type { EnvironmentService } from '@istio-workshop/clusters';
import type { Kysely } from 'kysely';
import type { PortalDatabase } from '../db/database-schema';
import { logger } from '../observability/logger';
import { prewarmWanted } from './cohort-store';

/**
 * Sets the warm pool to what open cohorts still need. Called when a cohort is made, joined, ended
 * or extended, and at start; a failure is logged (learners then wait for a fresh environment).
 */
export async function applyPrewarm(db: Kysely<PortalDatabase>, environments: EnvironmentService): Promise<number> {
  try {
    const wanted = await prewarmWanted(db);
    await environments.prewarm(wanted);
    return wanted;
  } catch (error) {
    logger().error({ err: error }, 'could not set the warm pool for cohorts');
    return 0;
  }
}
