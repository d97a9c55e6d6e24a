import type { CheckResult } from '@istio-workshop/checkers/result';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../db/open-database';
import { portalTestDatabases } from '../testing/portal-test-databases';
import {
  completedStepsByLab,
  lastCheckedStep,
  progressForLab,
  recordCheck,
  recordReveal,
  touchLearner,
} from './progress-store';

function result(outcome: CheckResult['outcome'], stepId = 'route-to-v1'): CheckResult {
  return {
    labId: 'l03-subsets',
    stepId,
    kind: 'state',
    outcome,
    summary: outcome,
    assertions: [{ code: 'X', title: 't', status: outcome === 'passed' ? 'pass' : 'fail' }],
    startedAt: new Date().toISOString(),
    durationMs: 3,
  };
}

describe.each(portalTestDatabases())('progress store on $kind', (variant) => {
  async function freshDb() {
    const file = await variant.location();
    const db = await openDatabase(file);
    await touchLearner(db, 'lrn-00000000000000000001');
    return { db, file };
  }

  it('writes a learner seen again within 30 s only once', async () => {
    const { db } = await freshDb();
    const seen = async () => (await db.selectFrom('learners').select('last_seen_at').where('id', '=', 'lrn-00000000000000000001').executeTakeFirstOrThrow()).last_seen_at;
    const first = await seen();
    await new Promise((r) => setTimeout(r, 5));
    await touchLearner(db, 'lrn-00000000000000000001');
    expect(await seen()).toBe(first);
    // Another learner is written at once.
    await touchLearner(db, 'lrn-00000000000000000002');
    expect(await db.selectFrom('learners').select('id').where('id', '=', 'lrn-00000000000000000002').executeTakeFirst()).toBeDefined();
  });

  it('counts attempts, keeps the last result and marks completion once', async () => {
    const { db } = await freshDb();
    const learnerId = 'lrn-00000000000000000001';
    const base = { learnerId, environmentId: 'env-1', contentVersion: 'abc' };
    let p = await recordCheck(db, { ...base, result: result('failed') });
    expect(p).toMatchObject({ attempts: 1, lastOutcome: 'failed', completedAt: null });
    p = await recordCheck(db, { ...base, result: result('passed') });
    expect(p.completedAt).not.toBeNull();
    const completedAt = p.completedAt;
    // Later failures (the learner moved on) do not take completion back.
    p = await recordCheck(db, { ...base, result: result('failed') });
    expect(p).toMatchObject({ attempts: 3, lastOutcome: 'failed', completedAt });
    expect(p.lastResult?.assertions[0]?.status).toBe('fail');
    await db.destroy();
  });

  it('knows the step the learner checked last', async () => {
    const { db } = await freshDb();
    const learnerId = 'lrn-00000000000000000001';
    await expect(lastCheckedStep(db, learnerId)).resolves.toBeUndefined();
    const base = { learnerId, environmentId: null, contentVersion: 'abc' };
    await recordCheck(db, { ...base, result: result('passed', 'destination-rules') });
    await new Promise((r) => setTimeout(r, 5));
    await recordCheck(db, { ...base, result: result('failed', 'route-to-v1') });
    await expect(lastCheckedStep(db, learnerId)).resolves.toMatchObject({
      labId: 'l03-subsets',
      stepId: 'route-to-v1',
    });
    await db.destroy();
  });

  it('does not count a check that could not run as an attempt', async () => {
    const { db } = await freshDb();
    const p = await recordCheck(db, {
      learnerId: 'lrn-00000000000000000001',
      environmentId: null,
      contentVersion: 'abc',
      result: result('error'),
    });
    expect(p).toMatchObject({ attempts: 0, lastOutcome: 'error', completedAt: null });
    await db.destroy();
  });

  it('survives a restart: progress is read back from the file', async () => {
    const { db, file } = await freshDb();
    await recordCheck(db, {
      learnerId: 'lrn-00000000000000000001',
      environmentId: 'env-1',
      contentVersion: 'abc',
      result: result('passed'),
    });
    await recordReveal(db, {
      learnerId: 'lrn-00000000000000000001',
      labId: 'l03-subsets',
      stepId: 'route-to-v1',
      what: 'solution',
    });
    await db.destroy();
    const reopened = await openDatabase(file);
    const steps = await progressForLab(reopened, 'lrn-00000000000000000001', 'l03-subsets');
    expect(steps).toHaveLength(1);
    expect(steps[0]?.completedAt).not.toBeNull();
    expect((await completedStepsByLab(reopened, 'lrn-00000000000000000001')).get('l03-subsets')).toEqual(
      new Set(['route-to-v1']),
    );
    const reveals = await reopened.selectFrom('reveals').selectAll().execute();
    expect(reveals).toMatchObject([{ what: 'solution', step_id: 'route-to-v1' }]);
    await reopened.destroy();
  });

  it('keeps concurrent checks of one step consistent (attempts add up)', async () => {
    const { db } = await freshDb();
    const base = { learnerId: 'lrn-00000000000000000001', environmentId: 'env-1', contentVersion: 'abc' };
    await Promise.all(Array.from({ length: 20 }, () => recordCheck(db, { ...base, result: result('failed') })));
    const [step] = await progressForLab(db, base.learnerId, 'l03-subsets');
    expect(step?.attempts).toBe(20);
    expect(
      await db
        .selectFrom('check_runs')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirst(),
    ).toEqual({ n: 20 });
    await db.destroy();
  });
});
