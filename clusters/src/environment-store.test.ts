import { Migrator } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  EnvironmentConflictError,
  environmentMigrations,
  EnvironmentStore,
  isUniqueViolation,
  migrateEnvironmentStore,
} from './environment-store';
import { IllegalTransitionError } from './environment-state';
import { databaseVariants } from './testing/test-databases';

describe.each(databaseVariants())('EnvironmentStore on $kind', (variant) => {
  let db: Awaited<ReturnType<typeof variant.open>>;
  let store: EnvironmentStore;
  beforeEach(async () => {
    db = await variant.open();
    await migrateEnvironmentStore(db);
    store = new EnvironmentStore(db);
  });
  afterEach(async () => {
    await db.destroy();
  });

  async function readyEnv() {
    const env = await store.create({ provider: 'kind' });
    await store.transition(env.id, 'provisioning');
    return store.transition(env.id, 'ready');
  }

  it('runs its migrations idempotently and alongside a portal migrator that merged them', async () => {
    await migrateEnvironmentStore(db);
    const portal = new Migrator({ db, provider: { getMigrations: async () => ({ ...environmentMigrations }) } });
    const { error, results } = await portal.migrateToLatest();
    expect(error).toBeUndefined();
    expect(results?.map((r) => r.migrationName)).toEqual(['clusters_0001_environments']);
  });

  it('writes every status change through the transition table', async () => {
    const env = await store.create({ provider: 'kind', learnerId: null });
    expect(env.status).toBe('requested');
    await expect(store.transition(env.id, 'assigned')).rejects.toBeInstanceOf(IllegalTransitionError);
    const p = await store.transition(env.id, 'provisioning', { attempts: 1 });
    expect(p.status).toBe('provisioning');
    expect(p.attempts).toBe(1);
    const stepped = await store.recordStep(env.id, 'install-istio');
    expect(stepped.step).toBe('install-istio');
    expect(stepped.stepStartedAt).not.toBeNull();
    const failed = await store.transition(env.id, 'failed', { failureReason: 'install-istio: timed out' });
    expect(failed.failureReason).toBe('install-istio: timed out');
    await expect(store.recordStep(env.id, 'bookinfo')).rejects.toBeInstanceOf(EnvironmentConflictError);
    const expiring = await store.transition(env.id, 'expiring');
    expect(expiring.failureReason).toBe('install-istio: timed out');
    const deleted = await store.transition(env.id, 'deleted');
    expect(deleted.statusChangedAt >= deleted.createdAt).toBe(true);
  });

  it('refuses a transition when the row is not in the status the caller expected', async () => {
    const env = await readyEnv();
    await expect(store.transition(env.id, 'expiring', {}, 'provisioning')).rejects.toThrow(
      /expected in status provisioning but is ready/,
    );
  });

  it('never assigns one ready environment twice under concurrent claims', async () => {
    const ready = await Promise.all(Array.from({ length: 5 }, () => readyEnv()));
    const claims = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store.claimReady({ provider: 'kind', learnerId: `learner-${i}`, labId: 'l', contentVersion: 'v1', ttlMinutes: 30 }),
      ),
    );
    const won = claims.filter((c) => c !== null);
    expect(won).toHaveLength(5);
    expect(new Set(won.map((c) => c!.id))).toEqual(new Set(ready.map((r) => r.id)));
    expect(new Set(won.map((c) => c!.learnerId)).size).toBe(5);
    for (const c of won) expect(c!.expiresAt).not.toBeNull();
  });

  it('lets the database refuse a second usable environment for one learner', async () => {
    await readyEnv();
    await readyEnv();
    const request = { provider: 'kind' as const, learnerId: 'ada', labId: 'l', contentVersion: 'v1', ttlMinutes: 30 };
    expect(await store.claimReady(request)).not.toBeNull();
    const second = await store.claimReady(request).catch((e: unknown) => e);
    expect(isUniqueViolation(second)).toBe(true);
  });

  it('reserves a spare that is still provisioning for a learner', async () => {
    const env = await store.create({ provider: 'kind' });
    await store.transition(env.id, 'provisioning');
    const reserved = await store.reserveSpare({ provider: 'kind', learnerId: 'bob', labId: 'l', contentVersion: 'v1' });
    expect(reserved?.id).toBe(env.id);
    expect(reserved?.learnerId).toBe('bob');
    expect(await store.reserveSpare({ provider: 'kind', learnerId: 'cy', labId: 'l', contentVersion: 'v1' })).toBeNull();
  });
});
