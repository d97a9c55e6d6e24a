import { checkResultSchema, type CheckResult } from '@istio-workshop/checkers/result';
import type { Kysely } from 'kysely';
import type { PortalDatabase } from '../db/database-schema';

export interface StepProgress {
  stepId: string;
  attempts: number;
  lastOutcome: CheckResult['outcome'] | null;
  lastResult: CheckResult | null;
  completedAt: string | null;
}

const now = () => new Date().toISOString();

/** When this process last wrote each learner's row, per database (learner rows are never deleted). */
const lastTouched = new WeakMap<object, Map<string, number>>();
/** A learner seen this recently is not written again: a dashboard tab fetches dozens of assets, each an API request. */
const touchIntervalMs = 30_000;

/** Creates the learner row on first sight and notes the visit (at most every 30 s per learner). */
export async function touchLearner(db: Kysely<PortalDatabase>, learnerId: string): Promise<void> {
  let seen = lastTouched.get(db);
  if (!seen) lastTouched.set(db, (seen = new Map()));
  const ms = Date.now();
  if (ms - (seen.get(learnerId) ?? -Infinity) < touchIntervalMs) return;
  // Bounded: forget everyone at once rather than track order; the cost is one write per learner.
  if (seen.size >= 50_000) seen.clear();
  const at = now();
  await db
    .insertInto('learners')
    .values({ id: learnerId, display_name: null, created_at: at, last_seen_at: at })
    .onConflict((oc) => oc.column('id').doUpdateSet({ last_seen_at: at }))
    .execute();
  seen.set(learnerId, ms);
}

/**
 * Records one check run and folds it into the step's progress in a single transaction.
 * A step once completed stays completed: a later failing check (the learner moved on and
 * changed the cluster) must not take back earned progress.
 */
export async function recordCheck(
  db: Kysely<PortalDatabase>,
  input: { learnerId: string; environmentId: string | null; contentVersion: string; result: CheckResult },
): Promise<StepProgress> {
  const { learnerId, result } = input;
  const at = now();
  const json = JSON.stringify(result);
  return db.transaction().execute(async (trx) => {
    await trx
      .insertInto('check_runs')
      .values({
        learner_id: learnerId,
        lab_id: result.labId,
        step_id: result.stepId,
        environment_id: input.environmentId,
        outcome: result.outcome,
        result: json,
        created_at: at,
      })
      .execute();
    // A check that could not run (no cluster, unreachable) is not an attempt by the learner.
    const counts = result.outcome === 'error' ? 0 : 1;
    await trx
      .insertInto('step_progress')
      .values({
        learner_id: learnerId,
        lab_id: result.labId,
        step_id: result.stepId,
        attempts: counts,
        last_outcome: result.outcome,
        last_result: json,
        last_checked_at: at,
        completed_at: result.outcome === 'passed' ? at : null,
        content_version: input.contentVersion,
      })
      .onConflict((oc) =>
        oc.columns(['learner_id', 'lab_id', 'step_id']).doUpdateSet((eb) => ({
          attempts: eb('step_progress.attempts', '+', counts),
          last_outcome: result.outcome,
          last_result: json,
          last_checked_at: at,
          completed_at:
            result.outcome === 'passed'
              ? eb.fn.coalesce('step_progress.completed_at', eb.val(at))
              : eb.ref('step_progress.completed_at'),
          content_version: input.contentVersion,
        })),
      )
      .execute();
    const row = await trx
      .selectFrom('step_progress')
      .selectAll()
      .where('learner_id', '=', learnerId)
      .where('lab_id', '=', result.labId)
      .where('step_id', '=', result.stepId)
      .executeTakeFirstOrThrow();
    return toStepProgress(row);
  });
}

function toStepProgress(row: PortalDatabase['step_progress']): StepProgress {
  let lastResult: CheckResult | null = null;
  if (row.last_result) {
    const parsed = checkResultSchema.safeParse(JSON.parse(row.last_result));
    lastResult = parsed.success ? parsed.data : null;
  }
  return {
    stepId: row.step_id,
    attempts: row.attempts,
    lastOutcome: (row.last_outcome as StepProgress['lastOutcome']) ?? null,
    lastResult,
    completedAt: row.completed_at,
  };
}

export async function progressForLab(
  db: Kysely<PortalDatabase>,
  learnerId: string,
  labId: string,
): Promise<StepProgress[]> {
  const rows = await db
    .selectFrom('step_progress')
    .selectAll()
    .where('learner_id', '=', learnerId)
    .where('lab_id', '=', labId)
    .execute();
  return rows.map(toStepProgress);
}

/** Completed step count per lab, for the catalog. */
export async function completedStepsByLab(
  db: Kysely<PortalDatabase>,
  learnerId: string,
): Promise<Map<string, Set<string>>> {
  const rows = await db
    .selectFrom('step_progress')
    .select(['lab_id', 'step_id'])
    .where('learner_id', '=', learnerId)
    .where('completed_at', 'is not', null)
    .execute();
  const byLab = new Map<string, Set<string>>();
  for (const r of rows) {
    const set = byLab.get(r.lab_id) ?? new Set<string>();
    set.add(r.step_id);
    byLab.set(r.lab_id, set);
  }
  return byLab;
}

/** The lab and step the learner last checked, for "continue where you left off" on the catalog. */
export async function lastCheckedStep(
  db: Kysely<PortalDatabase>,
  learnerId: string,
): Promise<{ labId: string; stepId: string; at: string } | undefined> {
  const row = await db
    .selectFrom('step_progress')
    .select(['lab_id', 'step_id', 'last_checked_at'])
    .where('learner_id', '=', learnerId)
    .where('last_checked_at', 'is not', null)
    .orderBy('last_checked_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.last_checked_at ? { labId: row.lab_id, stepId: row.step_id, at: row.last_checked_at } : undefined;
}

export async function recordReveal(
  db: Kysely<PortalDatabase>,
  input: { learnerId: string; labId: string; stepId: string; what: 'hint' | 'solution' },
): Promise<void> {
  await db
    .insertInto('reveals')
    .values({
      learner_id: input.learnerId,
      lab_id: input.labId,
      step_id: input.stepId,
      what: input.what,
      revealed_at: now(),
    })
    .execute();
}
