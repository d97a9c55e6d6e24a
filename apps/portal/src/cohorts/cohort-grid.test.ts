import type { CheckResult } from '@istio-workshop/checkers/result';
import type { Kysely } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import type { PortalDatabase } from '../db/database-schema';
import { openDatabase } from '../db/open-database';
import { createInstructor } from '../instructors/instructor-store';
import { recordCheck, touchLearner } from '../progress/progress-store';
import { portalTestDatabases } from '../testing/portal-test-databases';
import { cohortGrid, type GridLab } from './cohort-grid';
import { createCohort, joinCohort } from './cohort-store';

const labs: GridLab[] = [
  {
    id: 'l03-subsets',
    title: 'Subsets',
    steps: [
      { id: 'define-subsets', title: 'Define subsets' },
      { id: 'route-to-v1', title: 'Route to v1' },
    ],
  },
];

function result(stepId: string, outcome: CheckResult['outcome'], code = 'L03.DR'): CheckResult {
  return {
    labId: 'l03-subsets',
    stepId,
    kind: 'state',
    outcome,
    summary: outcome,
    assertions: [{ code, title: 'subset v3 is defined', status: outcome === 'passed' ? 'pass' : 'fail' }],
    ...(outcome === 'error' ? { error: { code: 'no-cluster' as const, message: 'no cluster' } } : {}),
    startedAt: new Date().toISOString(),
    durationMs: 1,
  };
}

describe.each(portalTestDatabases())('cohort grid on $kind', (variant) => {
  const opened: Kysely<PortalDatabase>[] = [];
  afterAll(async () => Promise.all(opened.map((db) => db.destroy())));

  it('shows each cell, who is stuck and why, and the commonest failure per step', async () => {
    const db = await openDatabase(await variant.location());
    opened.push(db);
    const ada = await createInstructor(db, {
      email: 'ada@example.org',
      displayName: 'Ada',
      password: 'ada long password',
    });
    const cohort = await createCohort(db, ada, {
      name: 'C',
      labIds: ['l03-subsets'],
      capacity: 10,
      durationMinutes: 60,
    });
    for (const [id, name] of [
      ['lrn-a', 'Ann'],
      ['lrn-b', 'Ben'],
      ['lrn-c', 'Cat'],
      ['lrn-out', 'Outsider'],
    ] as const) {
      await touchLearner(db, id);
      if (id !== 'lrn-out') await joinCohort(db, { code: cohort.joinCode, learnerId: id, displayName: name });
    }
    const check = (learnerId: string, r: CheckResult) =>
      recordCheck(db, { learnerId, environmentId: null, contentVersion: 'v', result: r });
    await check('lrn-a', result('define-subsets', 'passed'));
    for (let i = 0; i < 3; i++) await check('lrn-b', result('define-subsets', 'failed'));
    await check('lrn-c', result('define-subsets', 'error'));
    await check('lrn-c', result('route-to-v1', 'failed', 'L03.VS'));
    await check('lrn-out', result('define-subsets', 'failed', 'SECRET'));

    const grid = await cohortGrid(db, cohort, labs, { stuckAfterMinutes: 10, stuckAfterFailures: 3 });
    const byName = Object.fromEntries(grid.learners.map((l) => [l.displayName, l]));
    expect(Object.keys(byName).sort()).toEqual(['Ann', 'Ben', 'Cat']);
    expect(byName.Ann!.cells['l03-subsets/define-subsets']?.state).toBe('done');
    expect(byName.Ann!.done).toBe(1);
    expect(byName.Ann!.total).toBe(2);
    expect(byName.Ben!.cells['l03-subsets/define-subsets']).toMatchObject({
      state: 'failing',
      attempts: 3,
      failingCodes: ['L03.DR'],
    });
    expect(byName.Ben!.stuck).toMatchObject({
      kind: 'repeated-failures',
      stepId: 'define-subsets',
      attempts: 3,
      code: 'L03.DR',
    });
    expect(byName.Cat!.cells['l03-subsets/define-subsets']?.state).toBe('could-not-run');
    expect(byName.Cat!.stuck).toBeNull();
    expect(grid.failures).toEqual([
      { labId: 'l03-subsets', stepId: 'define-subsets', code: 'L03.DR', title: 'subset v3 is defined', learners: 1 },
      { labId: 'l03-subsets', stepId: 'route-to-v1', code: 'L03.VS', title: 'subset v3 is defined', learners: 1 },
    ]);

    // Fifteen minutes later with no new progress, Ann (not finished) and Cat are idle.
    const later = await cohortGrid(db, cohort, labs, {
      stuckAfterMinutes: 10,
      stuckAfterFailures: 3,
      now: new Date(Date.now() + 15 * 60_000),
    });
    const stuck = Object.fromEntries(later.learners.map((l) => [l.displayName, l.stuck?.kind ?? null]));
    expect(stuck).toEqual({ Ann: 'idle', Ben: 'repeated-failures', Cat: 'idle' });
  });
});
