import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadClustersConfig } from './clusters-config';
import { createEnvironmentService, type EnvironmentService } from './environment-service';
import { migrateEnvironmentStore } from './environment-store';
import { LocalEnvironmentProvider } from './local-environment-provider';
import { terminalTargetFor } from './terminal-target';
import { openSqliteDatabase } from './sqlite-database';
import { testLogger } from './testing/test-logger';

describe('environment service with the local provider', () => {
  let db: ReturnType<typeof openSqliteDatabase>;
  let service: EnvironmentService;
  let clock: Date;

  beforeEach(async () => {
    db = openSqliteDatabase();
    await migrateEnvironmentStore(db);
    clock = new Date('2026-11-23T10:00:00Z');
    const config = loadClustersConfig({ CLUSTERS_PROVIDER: 'local', CLUSTERS_POOL_SIZE: '0', CLUSTERS_TTL_MINUTES: '30', CLUSTERS_MAX_LIFETIME_MINUTES: '60' });
    service = createEnvironmentService({
      db,
      provider: new LocalEnvironmentProvider(null),
      config,
      logger: testLogger(),
      now: () => clock,
    });
  });
  afterEach(async () => {
    await service.stop();
    await db.destroy();
  });

  it('assigns at once and gives the same learner the same environment', async () => {
    const env = await service.assign('learner@example.com', 'l01-first-mesh', 'sha-1');
    expect(env.status).toBe('assigned');
    expect(env.learnerId).toBe('learner@example.com');
    expect(env.labId).toBe('l01-first-mesh');
    expect(env.expiresAt).toBe('2026-11-23T10:30:00.000Z');
    const again = await service.assign('learner@example.com', 'l02-other', 'sha-1');
    expect(again.id).toBe(env.id);
    expect(terminalTargetFor(env)).toEqual({ kind: 'local', home: expect.stringMatching(/^learner-example-com-[0-9a-f]{12}$/) });
  });

  it('gives concurrent first requests of one learner a single environment', async () => {
    const all = await Promise.all(Array.from({ length: 8 }, () => service.assign('ada', 'lab', 'v')));
    expect(new Set(all.map((e) => e.id)).size).toBe(1);
    expect((await service.list()).length).toBe(1);
  });

  it('gives a learner more time up to the hard limit, and only for their own environment', async () => {
    const env = await service.assign('ada', 'lab', 'v');
    expect(env.expiresAt).toBe('2026-11-23T10:30:00.000Z');
    clock = new Date('2026-11-23T10:05:00Z');
    // One more TTL on top of what was left, even when asked early.
    expect((await service.extend(env.id, 'ada')).expiresAt).toBe('2026-11-23T11:00:00.000Z');
    await expect(service.extend(env.id, 'mallory')).rejects.toThrow(/not yours/);
    await expect(service.extend(env.id, 'ada')).rejects.toThrow(/already runs as long as it can \(60 minutes\)/);
  });

  it('pre-warms spares on request, hands them out at assignment, and returns to the pool size', async () => {
    await service.prewarm(3);
    await service.idle();
    const spares = await service.spares();
    expect(spares.map((e) => e.status)).toEqual(['ready', 'ready', 'ready']);
    const env = await service.assign('kim', 'lab', 'v');
    expect(spares.map((e) => e.id)).toContain(env.id);
    // The pool is topped up again while the target stands.
    await service.idle();
    expect(await service.spares()).toHaveLength(3);
    await service.prewarm(0);
    expect(await service.spares()).toHaveLength(3);
    await expect(service.prewarm(-1)).rejects.toThrow(/whole number/);
  });

  it('resets to a fresh environment and deletes the old one', async () => {
    const env = await service.assign('ada', 'lab', 'v');
    const fresh = await service.reset(env.id);
    expect(fresh.id).not.toBe(env.id);
    expect(fresh.status).toBe('assigned');
    await service.idle();
    expect((await service.get(env.id))?.status).toBe('deleted');
    expect((await service.forLearner('ada'))?.id).toBe(fresh.id);
  });

  it('expires an assignment when its TTL passes', async () => {
    const env = await service.assign('ada', 'lab', 'v');
    clock = new Date('2026-11-23T10:29:59Z');
    await service.tick();
    await service.idle();
    expect((await service.get(env.id))?.status).toBe('assigned');
    clock = new Date('2026-11-23T10:30:01Z');
    await service.tick();
    await service.idle();
    expect((await service.get(env.id))?.status).toBe('deleted');
  });

  it('refuses a terminal for an environment that is not assigned', async () => {
    const env = await service.assign('ada', 'lab', 'v');
    const released = await service.release(env.id);
    expect(released.status).toBe('expiring');
    expect(() => terminalTargetFor(released)).toThrow(/is expiring, not assigned/);
  });
});
