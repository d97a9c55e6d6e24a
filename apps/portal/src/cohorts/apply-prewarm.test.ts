import type { EnvironmentService } from '@istio-workshop/clusters';
import type { Kysely } from 'kysely';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import type { PortalDatabase } from '../db/database-schema';
import { openDatabase } from '../db/open-database';
import { createInstructor } from '../instructors/instructor-store';
import { portalTestDatabases } from '../testing/portal-test-databases';
import { applyPrewarm, schedulePrewarm } from './apply-prewarm';
import { createCohort } from './cohort-store';

/** Only what the pre-warm code calls: the targets it set, in order. */
function fakeEnvironments(): { service: EnvironmentService; targets: number[] } {
  const targets: number[] = [];
  const service = {
    prewarm: async (n: number) => {
      targets.push(n);
    },
  } as unknown as EnvironmentService;
  return { service, targets };
}

describe.each(portalTestDatabases())('the warm pool for scheduled cohorts on $kind', (variant) => {
  const opened: Kysely<PortalDatabase>[] = [];
  afterAll(async () => Promise.all(opened.map((db) => db.destroy())));
  afterEach(() => vi.useRealTimers());

  it('fills when a cohort comes within the lead time, re-read every minute, set only when it changes', async () => {
    const db = await openDatabase(await variant.location());
    opened.push(db);
    const ada = await createInstructor(db, { email: 'ada@example.org', displayName: 'Ada', password: 'ada long password' });
    const cohort = await createCohort(db, ada, {
      name: 'Later',
      labIds: ['l01'],
      capacity: 10,
      durationMinutes: 60,
      prewarm: 4,
      startsAt: new Date(Date.now() + 45 * 60_000).toISOString(),
    });
    const { service, targets } = fakeEnvironments();
    expect(await applyPrewarm(db, service, 30)).toBe(0);

    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const stop = schedulePrewarm(db, service, 30, 60_000);
    // Each tick's database read runs on real I/O: wait for its outcome, not only for the timer.
    const tick = async (expected: number[]) => {
      await vi.advanceTimersByTimeAsync(60_000);
      await vi.waitFor(() => expect(targets).toEqual(expected));
    };
    await tick([0, 0]);
    await tick([0, 0]);
    // The start comes within 30 minutes (moved here rather than waiting a quarter of an hour).
    await db.updateTable('cohorts').set({ starts_at: new Date(Date.now() + 29 * 60_000).toISOString() }).where('id', '=', cohort.id).execute();
    await tick([0, 0, 4]);
    await tick([0, 0, 4]);
    stop();
    await db.updateTable('cohorts').set({ prewarm: 2 }).where('id', '=', cohort.id).execute();
    await tick([0, 0, 4]);
  });
});
