import type { Kysely } from 'kysely';
import { ZodError } from 'zod';
import { afterAll, describe, expect, it } from 'vitest';
import type { PortalDatabase } from '../db/database-schema';
import { openDatabase } from '../db/open-database';
import { createInstructor } from '../instructors/instructor-store';
import { touchLearner } from '../progress/progress-store';
import { portalTestDatabases } from '../testing/portal-test-databases';
import {
  cohortForInstructor,
  CohortJoinError,
  cohortMembers,
  CohortNotFoundError,
  cohortsOfLearner,
  createCohort,
  endCohort,
  extendCohort,
  joinCohort,
  listCohorts,
  normaliseJoinCode,
  prewarmWanted,
} from './cohort-store';

describe('join codes', () => {
  it('accept what a learner types from a projector', () => {
    expect(normaliseJoinCode(' abcd efgh ')).toBe('ABCD-EFGH');
    expect(normaliseJoinCode('abcd-efgh')).toBe('ABCD-EFGH');
  });
});

describe.each(portalTestDatabases())('cohorts on $kind', (variant) => {
  const opened: Kysely<PortalDatabase>[] = [];
  afterAll(async () => Promise.all(opened.map((db) => db.destroy())));
  async function setup() {
    const db = await openDatabase(await variant.location());
    opened.push(db);
    const ada = await createInstructor(db, {
      email: 'ada@example.org',
      displayName: 'Ada',
      password: 'ada long password',
    });
    const bo = await createInstructor(db, {
      email: 'bo@example.org',
      displayName: 'Bo',
      password: 'bo long password!',
    });
    const root = await createInstructor(db, {
      email: 'root@example.org',
      displayName: 'Root',
      password: 'root long password',
      isAdmin: true,
    });
    for (const id of ['lrn-1', 'lrn-2', 'lrn-3']) await touchLearner(db, id);
    return { db, ada, bo, root };
  }

  it('creates a cohort with a join code that learners join once each, up to capacity', async () => {
    const { db, ada } = await setup();
    const cohort = await createCohort(db, ada, {
      name: 'Mesh 101',
      labIds: ['l03-subsets'],
      capacity: 2,
      durationMinutes: 120,
    });
    expect(cohort.joinCode).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    const first = await joinCohort(db, {
      code: cohort.joinCode.toLowerCase(),
      learnerId: 'lrn-1',
      displayName: ' Kim ',
    });
    expect(first.member.displayName).toBe('Kim');
    // Joining again (a reload) answers the same membership.
    const again = await joinCohort(db, { code: cohort.joinCode, learnerId: 'lrn-1', displayName: 'Kim' });
    expect(again.member.joinedAt).toBe(first.member.joinedAt);
    await joinCohort(db, { code: cohort.joinCode, learnerId: 'lrn-2', displayName: 'Lee' });
    const full = await joinCohort(db, { code: cohort.joinCode, learnerId: 'lrn-3', displayName: 'Max' }).catch(
      (e: unknown) => e,
    );
    expect(full).toBeInstanceOf(CohortJoinError);
    expect((full as CohortJoinError).problem).toBe('full');
    expect((await cohortMembers(db, cohort.id)).map((m) => m.displayName)).toEqual(['Kim', 'Lee']);
    expect((await cohortsOfLearner(db, 'lrn-1')).map((c) => c.id)).toEqual([cohort.id]);
  });

  it('never lets concurrent joins go over capacity', async () => {
    const { db, ada } = await setup();
    const cohort = await createCohort(db, ada, {
      name: 'Race',
      labIds: ['l03-subsets'],
      capacity: 5,
      durationMinutes: 60,
    });
    const ids = Array.from({ length: 20 }, (_, i) => `race-${i}`);
    for (const id of ids) await touchLearner(db, id);
    const outcomes = await Promise.allSettled(
      ids.map((learnerId) => joinCohort(db, { code: cohort.joinCode, learnerId, displayName: learnerId })),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(5);
    for (const o of outcomes) if (o.status === 'rejected') expect((o.reason as CohortJoinError).problem).toBe('full');
    expect(await cohortMembers(db, cohort.id)).toHaveLength(5);
  });

  it('refuses unknown codes and ended cohorts, and reopens on extend', async () => {
    const { db, ada } = await setup();
    await expect(joinCohort(db, { code: 'ZZZZ-ZZZZ', learnerId: 'lrn-1', displayName: 'x' })).rejects.toMatchObject({
      problem: 'unknown-code',
    });
    const cohort = await createCohort(db, ada, {
      name: 'Short',
      labIds: ['l03-subsets'],
      capacity: 10,
      durationMinutes: 30,
    });
    const ended = await endCohort(db, ada, cohort.id);
    expect(ended.status).toBe('ended');
    await expect(joinCohort(db, { code: cohort.joinCode, learnerId: 'lrn-1', displayName: 'x' })).rejects.toMatchObject(
      { problem: 'ended' },
    );
    const extended = await extendCohort(db, ada, cohort.id, 30);
    expect(extended.status).toBe('open');
    expect(Date.parse(extended.endsAt)).toBeGreaterThan(Date.now() + 29 * 60_000);
    // Past its end time a cohort counts as ended without anyone pressing End.
    await db
      .updateTable('cohorts')
      .set({ ends_at: new Date(Date.now() - 1000).toISOString() })
      .execute();
    expect((await cohortForInstructor(db, ada, cohort.id)).status).toBe('ended');
  });

  it('shows an instructor only their own cohorts, and an admin all of them', async () => {
    const { db, ada, bo, root } = await setup();
    const adas = await createCohort(db, ada, { name: 'A', labIds: ['l01'], capacity: 3, durationMinutes: 60 });
    await createCohort(db, bo, { name: 'B', labIds: ['l01'], capacity: 3, durationMinutes: 60 });
    expect((await listCohorts(db, ada)).map((c) => c.name)).toEqual(['A']);
    expect((await listCohorts(db, root)).map((c) => c.name).sort()).toEqual(['A', 'B']);
    await expect(cohortForInstructor(db, bo, adas.id)).rejects.toBeInstanceOf(CohortNotFoundError);
    await expect(endCohort(db, bo, adas.id)).rejects.toBeInstanceOf(CohortNotFoundError);
    expect((await cohortForInstructor(db, root, adas.id)).name).toBe('A');
  });

  it('keeps environments warm for learners still to join, and none for ended cohorts', async () => {
    const { db, ada } = await setup();
    const a = await createCohort(db, ada, { name: 'A', labIds: ['l01'], capacity: 5, durationMinutes: 60, prewarm: 3 });
    await createCohort(db, ada, { name: 'B', labIds: ['l01'], capacity: 5, durationMinutes: 60, prewarm: 2 });
    expect(await prewarmWanted(db)).toBe(5);
    await joinCohort(db, { code: a.joinCode, learnerId: 'lrn-1', displayName: 'x' });
    expect(await prewarmWanted(db)).toBe(4);
    await endCohort(db, ada, a.id);
    expect(await prewarmWanted(db)).toBe(2);
    await expect(createCohort(db, ada, { name: 'C', labIds: ['l01'], capacity: 2, durationMinutes: 60, prewarm: 3 })).rejects.toThrow(/cannot exceed the capacity/);
  });

  it('names bad cohort input by field', async () => {
    const { db, ada } = await setup();
    const error = await createCohort(db, ada, { name: '', labIds: [], capacity: 0, durationMinutes: 5 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ZodError);
    expect((error as ZodError).issues.map((i) => i.path[0])).toEqual(['name', 'labIds', 'capacity', 'durationMinutes']);
  });

  it('keeps learners out until a scheduled start, and counts its pre-warm only from the lead time', async () => {
    const { db, ada } = await setup();
    const start = new Date(Date.now() + 2 * 3600_000);
    const later = await createCohort(db, ada, {
      name: 'Tomorrow',
      labIds: ['l01'],
      capacity: 5,
      durationMinutes: 60,
      prewarm: 4,
      startsAt: start.toISOString(),
    });
    expect(later.startsAt).toBe(start.toISOString());
    expect(later.endsAt).toBe(new Date(start.getTime() + 3600_000).toISOString());
    expect((await cohortForInstructor(db, ada, later.id)).startsAt).toBe(start.toISOString());

    const refused = await joinCohort(db, { code: later.joinCode, learnerId: 'lrn-1', displayName: 'x' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(CohortJoinError);
    expect((refused as CohortJoinError).problem).toBe('not-started');
    expect((refused as CohortJoinError).opensAt).toBe(start.toISOString());
    expect((refused as CohortJoinError).message).toContain('you can join from then');
    expect(await cohortMembers(db, later.id)).toEqual([]);

    const lead = 30;
    expect(await prewarmWanted(db, { leadMinutes: lead })).toBe(0);
    expect(await prewarmWanted(db, { leadMinutes: lead, now: new Date(start.getTime() - 31 * 60_000) })).toBe(0);
    expect(await prewarmWanted(db, { leadMinutes: lead, now: new Date(start.getTime() - 30 * 60_000) })).toBe(4);
    expect(await prewarmWanted(db, { leadMinutes: 180 })).toBe(4);

    // The start passes (moved back here rather than waiting two hours).
    await db.updateTable('cohorts').set({ starts_at: new Date(Date.now() - 1000).toISOString() }).where('id', '=', later.id).execute();
    await joinCohort(db, { code: later.joinCode, learnerId: 'lrn-1', displayName: 'x' });
    expect(await prewarmWanted(db, { leadMinutes: lead })).toBe(3);
  });

  it('takes a start time within a few minutes past as now, and names a bad one', async () => {
    const { db, ada } = await setup();
    const base = { name: 'A', labIds: ['l01'], capacity: 5, durationMinutes: 60 };
    const now = await createCohort(db, ada, { ...base, startsAt: new Date(Date.now() - 60_000).toISOString() });
    expect(now.startsAt).toBeNull();
    await joinCohort(db, { code: now.joinCode, learnerId: 'lrn-2', displayName: 'y' });
    const issues = async (startsAt: string) =>
      ((await createCohort(db, ada, { ...base, startsAt }).catch((e: unknown) => e)) as ZodError).issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(await issues(new Date(Date.now() - 3600_000).toISOString())).toEqual(['startsAt: must not be in the past']);
    expect(await issues('tomorrow at nine')).toEqual(['startsAt: must be a date and time with a zone, e.g. 2026-12-04T09:00:00Z']);
    expect(await issues(new Date(Date.now() + 100 * 86_400_000).toISOString())).toEqual(['startsAt: must be within 90 days']);
  });
});
