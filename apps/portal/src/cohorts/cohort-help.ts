// What an instructor does for learners (and learners ask of them): raised hands, broadcasts,
// membership checks before acting on a learner.

import type { CheckResult } from '@istio-workshop/checkers/result';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { PortalDatabase } from '../db/database-schema';
import type { Instructor } from '../instructors/instructor-store';
import { cohortForInstructor, cohortsOfLearner, type Cohort } from './cohort-store';

export class NotInCohortError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotInCohortError';
  }
}

/** The cohort, if this instructor manages it and the learner is in it; else NotInCohortError. */
export async function learnerOfCohort(
  db: Kysely<PortalDatabase>,
  instructor: Instructor,
  cohortId: string,
  learnerId: string,
): Promise<Cohort> {
  const cohort = await cohortForInstructor(db, instructor, cohortId);
  const member = await db
    .selectFrom('cohort_members')
    .select('learner_id')
    .where('cohort_id', '=', cohortId)
    .where('learner_id', '=', learnerId)
    .executeTakeFirst();
  if (!member) throw new NotInCohortError(`that learner is not in the cohort "${cohort.name}"`);
  return cohort;
}

export const raiseHandSchema = z.object({
  labId: z.string().min(1).max(100),
  stepId: z.string().min(1).max(100).nullable().default(null),
  message: z.string().trim().max(500).default(''),
  /** The last commands the learner typed, as their page saw them (newest last). */
  recentCommands: z.array(z.string().max(300)).max(20).default([]),
});
export type RaiseHand = z.input<typeof raiseHandSchema>;

/**
 * Raises (or re-raises, replacing the message) the learner's hand in their open cohort. The
 * step's last check result is read from the server's own record, not taken from the browser.
 */
export async function raiseHand(
  db: Kysely<PortalDatabase>,
  learnerId: string,
  input: RaiseHand,
): Promise<{ cohort: Cohort; id: number }> {
  const valid = raiseHandSchema.parse(input);
  const [cohort] = await cohortsOfLearner(db, learnerId);
  if (!cohort)
    throw new NotInCohortError('you are not in an open cohort: join one at /join to ask an instructor for help');
  let lastResult: Pick<CheckResult, 'outcome' | 'summary' | 'assertions'> | null = null;
  if (valid.stepId) {
    const row = await db
      .selectFrom('step_progress')
      .select('last_result')
      .where('learner_id', '=', learnerId)
      .where('lab_id', '=', valid.labId)
      .where('step_id', '=', valid.stepId)
      .executeTakeFirst();
    if (row?.last_result) {
      const r = JSON.parse(row.last_result) as CheckResult;
      lastResult = { outcome: r.outcome, summary: r.summary, assertions: r.assertions };
    }
  }
  const context = JSON.stringify({ lastResult, recentCommands: valid.recentCommands });
  const at = new Date().toISOString();
  await db
    .deleteFrom('hand_raises')
    .where('cohort_id', '=', cohort.id)
    .where('learner_id', '=', learnerId)
    .where('resolved_at', 'is', null)
    .execute();
  const inserted = await db
    .insertInto('hand_raises')
    .values({
      cohort_id: cohort.id,
      learner_id: learnerId,
      lab_id: valid.labId,
      step_id: valid.stepId,
      message: valid.message,
      context,
      raised_at: at,
      resolved_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { cohort, id: Number(inserted.id) };
}

/** Lowers a hand: by the instructor (helped) or the learner (solved it). Answers whose hand it was. */
export async function lowerHand(
  db: Kysely<PortalDatabase>,
  where: { cohortId: string; handId?: number; learnerId?: string },
): Promise<string | undefined> {
  let query = db
    .selectFrom('hand_raises')
    .select(['id', 'learner_id'])
    .where('cohort_id', '=', where.cohortId)
    .where('resolved_at', 'is', null);
  if (where.handId !== undefined) query = query.where('id', '=', where.handId);
  if (where.learnerId !== undefined) query = query.where('learner_id', '=', where.learnerId);
  const hand = await query.executeTakeFirst();
  if (!hand) return undefined;
  await db
    .updateTable('hand_raises')
    .set({ resolved_at: new Date().toISOString() })
    .where('id', '=', hand.id)
    .execute();
  return hand.learner_id;
}

export const broadcastSchema = z.object({
  message: z.string().trim().min(1, 'write a message').max(500, 'at most 500 characters'),
});

export async function recordBroadcast(
  db: Kysely<PortalDatabase>,
  instructor: Instructor,
  cohortId: string,
  message: string,
): Promise<void> {
  await cohortForInstructor(db, instructor, cohortId);
  await db
    .insertInto('broadcasts')
    .values({ cohort_id: cohortId, instructor_id: instructor.id, message, sent_at: new Date().toISOString() })
    .execute();
}

/** The cohort's latest broadcast, for a learner page that opens after it was sent. */
export async function latestBroadcast(
  db: Kysely<PortalDatabase>,
  cohortId: string,
): Promise<{ message: string; sentAt: string } | undefined> {
  const row = await db
    .selectFrom('broadcasts')
    .select(['message', 'sent_at'])
    .where('cohort_id', '=', cohortId)
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return row ? { message: row.message, sentAt: row.sent_at } : undefined;
}
