// Cohorts: an instructor's group of learners taking a set of labs together, joined by a short
// code. Membership is what lets an instructor see a learner's progress: nothing else does.

import { randomInt, randomUUID } from 'node:crypto';
import { PostgresAdapter, type Kysely, type Transaction } from 'kysely';
import { z } from 'zod';
import type { PortalDatabase } from '../db/database-schema';
import type { Instructor } from '../instructors/instructor-store';
import { hasStarted, prewarmTarget } from './cohort-schedule';

export interface Cohort {
  id: string;
  name: string;
  joinCode: string;
  instructorId: string;
  labIds: string[];
  capacity: number;
  /** Environments to have ready before learners join (at most capacity). */
  prewarm: number;
  status: 'open' | 'ended';
  createdAt: string;
  /** When learners may join; null: from creation. */
  startsAt: string | null;
  endsAt: string;
  endedAt: string | null;
  memberCount: number;
}

export interface CohortMember {
  learnerId: string;
  displayName: string;
  joinedAt: string;
}

export type CohortJoinProblem = 'unknown-code' | 'not-started' | 'ended' | 'full';

export class CohortJoinError extends Error {
  constructor(
    readonly problem: CohortJoinProblem,
    message: string,
    /** For 'not-started': when the cohort opens (ISO), so the join page can show it in local time. */
    readonly opensAt?: string,
  ) {
    super(message);
    this.name = 'CohortJoinError';
  }
}

export class CohortNotFoundError extends Error {
  constructor(readonly cohortId: string) {
    super(`no cohort ${cohortId} that you can manage`);
    this.name = 'CohortNotFoundError';
  }
}

// A start picked "now" in a form reaches the server a little later: that is not the past yet.
const startSlackMs = 5 * 60_000;
const maxLeadDays = 90;

export const newCohortSchema = z
  .object({
    name: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
    labIds: z.array(z.string().min(1)).min(1, 'pick at least one lab').max(50),
    capacity: z.number().int().min(1, 'must be at least 1').max(1000, 'must be at most 1000'),
    durationMinutes: z
      .number()
      .int()
      .min(15, 'must be at least 15 minutes')
      .max(7 * 24 * 60, 'must be at most a week'),
    prewarm: z.number().int().min(0, 'must be 0 or more').max(200, 'must be at most 200').default(0),
    /**
     * When learners may join (ISO 8601 with an offset); absent: at once. The cohort stays open for
     * durationMinutes from its start, so its end is always after its start.
     */
    startsAt: z.iso
      .datetime({ offset: true, error: 'must be a date and time with a zone, e.g. 2026-12-04T09:00:00Z' })
      .nullish()
      // (NaN, from a malformed value, passes both: the format's own message is the one to show.)
      .refine((v) => v == null || !(Date.parse(v) < Date.now() - startSlackMs), 'must not be in the past')
      .refine((v) => v == null || !(Date.parse(v) > Date.now() + maxLeadDays * 86_400_000), `must be within ${maxLeadDays} days`),
  })
  .refine((c) => c.prewarm <= c.capacity, { message: 'cannot exceed the capacity', path: ['prewarm'] });
export type NewCohort = z.input<typeof newCohortSchema>;

// No 0/O, 1/I/L: codes are read aloud and typed from a projector.
const codeAlphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

export function newJoinCode(): string {
  const pick = () => Array.from({ length: 4 }, () => codeAlphabet[randomInt(codeAlphabet.length)]).join('');
  return `${pick()}-${pick()}`;
}

/** What a learner types, in any case, with or without the dash and stray spaces. */
export function normaliseJoinCode(input: string): string {
  const bare = input.toUpperCase().replace(/[^A-Z0-9]/g, '');
  return bare.length === 8 ? `${bare.slice(0, 4)}-${bare.slice(4)}` : bare;
}

type CohortRow = PortalDatabase['cohorts'] extends infer T ? { [K in keyof T]: T[K] } : never;

function toCohort(row: CohortRow, memberCount: number): Cohort {
  return {
    id: row.id,
    name: row.name,
    joinCode: row.join_code,
    instructorId: row.instructor_id,
    labIds: JSON.parse(row.lab_ids) as string[],
    capacity: row.capacity,
    prewarm: row.prewarm,
    // A cohort past its end time is ended, whether or not anyone pressed "End".
    status: row.status === 'ended' || row.ends_at <= new Date().toISOString() ? 'ended' : 'open',
    createdAt: row.created_at,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    endedAt: row.ended_at,
    memberCount,
  };
}

async function memberCounts(
  db: Kysely<PortalDatabase> | Transaction<PortalDatabase>,
  ids: string[],
): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('cohort_members')
    .select(['cohort_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('cohort_id', 'in', ids)
    .groupBy('cohort_id')
    .execute();
  return new Map(rows.map((r) => [r.cohort_id, Number(r.n)]));
}

export async function createCohort(
  db: Kysely<PortalDatabase>,
  instructor: Instructor,
  input: NewCohort,
): Promise<Cohort> {
  const valid = newCohortSchema.parse(input);
  const now = new Date();
  // A start that already passed (within the slack) is a start now.
  const startsAt = valid.startsAt && Date.parse(valid.startsAt) > now.getTime() ? new Date(valid.startsAt) : null;
  const opensAt = startsAt ?? now;
  for (let attempt = 0; ; attempt++) {
    const row: CohortRow = {
      id: `coh-${randomUUID()}`,
      name: valid.name,
      join_code: newJoinCode(),
      instructor_id: instructor.id,
      lab_ids: JSON.stringify(valid.labIds),
      capacity: valid.capacity,
      prewarm: valid.prewarm,
      status: 'open',
      created_at: now.toISOString(),
      starts_at: startsAt?.toISOString() ?? null,
      ends_at: new Date(opensAt.getTime() + valid.durationMinutes * 60_000).toISOString(),
      ended_at: null,
    };
    try {
      await db.insertInto('cohorts').values(row).execute();
      return toCohort(row, 0);
    } catch (error) {
      // 31^8 codes: a clash is rare; retry a few times with a new code.
      const code = (error as { code?: unknown } | null)?.code;
      if (attempt < 5 && (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === '23505')) continue;
      throw error;
    }
  }
}

/** The cohorts an instructor may see: their own, or every one for an admin. Newest first. */
export async function listCohorts(db: Kysely<PortalDatabase>, instructor: Instructor): Promise<Cohort[]> {
  let query = db.selectFrom('cohorts').selectAll().orderBy('created_at', 'desc');
  if (!instructor.isAdmin) query = query.where('instructor_id', '=', instructor.id);
  const rows = await query.execute();
  const counts = await memberCounts(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => toCohort(r, counts.get(r.id) ?? 0));
}

export function canManageCohort(instructor: Instructor, cohort: Pick<Cohort, 'instructorId'>): boolean {
  return instructor.isAdmin || cohort.instructorId === instructor.id;
}

/** A cohort this instructor may manage; anything else (missing or someone else's) is not found. */
export async function cohortForInstructor(
  db: Kysely<PortalDatabase>,
  instructor: Instructor,
  cohortId: string,
): Promise<Cohort> {
  const row = await db.selectFrom('cohorts').selectAll().where('id', '=', cohortId).executeTakeFirst();
  if (!row || !canManageCohort(instructor, { instructorId: row.instructor_id }))
    throw new CohortNotFoundError(cohortId);
  const counts = await memberCounts(db, [row.id]);
  return toCohort(row, counts.get(row.id) ?? 0);
}

/**
 * Adds a learner to the cohort with this code. Joining again is a no-op that answers the same
 * cohort (a learner reloading the join page). The capacity count and the insert run in one
 * transaction; on PostgreSQL the cohort row is locked so two replicas cannot both take the last seat.
 */
export async function joinCohort(
  db: Kysely<PortalDatabase>,
  input: { code: string; learnerId: string; displayName: string },
): Promise<{ cohort: Cohort; member: CohortMember }> {
  const code = normaliseJoinCode(input.code);
  const displayName = input.displayName.trim().slice(0, 60) || 'Learner';
  const isPostgres = db.getExecutor().adapter instanceof PostgresAdapter;
  return db.transaction().execute(async (trx) => {
    let select = trx.selectFrom('cohorts').selectAll().where('join_code', '=', code);
    if (isPostgres) select = select.forUpdate();
    const row = await select.executeTakeFirst();
    if (!row)
      throw new CohortJoinError(
        'unknown-code',
        `no cohort has the code ${code || '(empty)'}: check it with your instructor`,
      );
    const existing = await trx
      .selectFrom('cohort_members')
      .selectAll()
      .where('cohort_id', '=', row.id)
      .where('learner_id', '=', input.learnerId)
      .executeTakeFirst();
    const count = (await memberCounts(trx, [row.id])).get(row.id) ?? 0;
    if (existing)
      return {
        cohort: toCohort(row, count),
        member: { learnerId: existing.learner_id, displayName: existing.display_name, joinedAt: existing.joined_at },
      };
    const cohort = toCohort(row, count);
    if (cohort.status === 'ended') throw new CohortJoinError('ended', `the cohort "${row.name}" has ended`);
    // Refused rather than joined early: a member before the start would hold an environment and
    // show on the grid for a class that has not begun.
    if (!hasStarted(cohort, new Date()))
      throw new CohortJoinError(
        'not-started',
        `the cohort "${row.name}" opens at ${cohort.startsAt}; you can join from then`,
        cohort.startsAt ?? undefined,
      );
    if (count >= row.capacity)
      throw new CohortJoinError(
        'full',
        `the cohort "${row.name}" is full (${row.capacity} learners): ask your instructor to raise its capacity`,
      );
    const member = { learnerId: input.learnerId, displayName, joinedAt: new Date().toISOString() };
    await trx
      .insertInto('cohort_members')
      .values({
        cohort_id: row.id,
        learner_id: member.learnerId,
        display_name: displayName,
        joined_at: member.joinedAt,
      })
      .execute();
    return { cohort: { ...cohort, memberCount: count + 1 }, member };
  });
}

export async function cohortMembers(db: Kysely<PortalDatabase>, cohortId: string): Promise<CohortMember[]> {
  const rows = await db
    .selectFrom('cohort_members')
    .selectAll()
    .where('cohort_id', '=', cohortId)
    .orderBy('joined_at')
    .execute();
  return rows.map((r) => ({ learnerId: r.learner_id, displayName: r.display_name, joinedAt: r.joined_at }));
}

/** The open cohorts a learner belongs to (usually one), for broadcasts and the raise-hand button. */
export async function cohortsOfLearner(db: Kysely<PortalDatabase>, learnerId: string): Promise<Cohort[]> {
  const rows = await db
    .selectFrom('cohorts')
    .innerJoin('cohort_members', 'cohort_members.cohort_id', 'cohorts.id')
    .selectAll('cohorts')
    .where('cohort_members.learner_id', '=', learnerId)
    .execute();
  return rows.map((r) => toCohort(r, 0)).filter((c) => c.status === 'open');
}

export async function endCohort(db: Kysely<PortalDatabase>, instructor: Instructor, cohortId: string): Promise<Cohort> {
  await cohortForInstructor(db, instructor, cohortId);
  const at = new Date().toISOString();
  await db.updateTable('cohorts').set({ status: 'ended', ended_at: at }).where('id', '=', cohortId).execute();
  return cohortForInstructor(db, instructor, cohortId);
}

/** Moves the end time later (from now if it already passed) and reopens an ended cohort. */
export async function extendCohort(
  db: Kysely<PortalDatabase>,
  instructor: Instructor,
  cohortId: string,
  minutes: number,
): Promise<Cohort> {
  const minutesValid = z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .parse(minutes);
  const cohort = await cohortForInstructor(db, instructor, cohortId);
  const from = Math.max(Date.parse(cohort.endsAt), Date.now());
  await db
    .updateTable('cohorts')
    .set({ status: 'open', ended_at: null, ends_at: new Date(from + minutesValid * 60_000).toISOString() })
    .where('id', '=', cohortId)
    .execute();
  return cohortForInstructor(db, instructor, cohortId);
}

/** PORTAL_PREWARM_LEAD_MINUTES when unset. */
export const defaultPrewarmLeadMinutes = 30;

/**
 * How many environments to keep warm for cohorts (see prewarmTarget): open cohorts that have
 * started or start within `leadMinutes`, each less the learners who already joined.
 */
export async function prewarmWanted(
  db: Kysely<PortalDatabase>,
  options: { now?: Date; leadMinutes: number } = { leadMinutes: defaultPrewarmLeadMinutes },
): Promise<number> {
  const now = options.now ?? new Date();
  const rows = await db
    .selectFrom('cohorts')
    .select(['id', 'prewarm', 'starts_at', 'ends_at'])
    .where('status', '=', 'open')
    .where('ends_at', '>', now.toISOString())
    .where('prewarm', '>', 0)
    .execute();
  const counts = await memberCounts(
    db,
    rows.map((r) => r.id),
  );
  return prewarmTarget(
    rows.map((r) => ({
      status: 'open',
      prewarm: r.prewarm,
      startsAt: r.starts_at,
      endsAt: r.ends_at,
      memberCount: counts.get(r.id) ?? 0,
    })),
    now,
    options.leadMinutes,
  );
}
