import { afterEach, describe, expect, it } from 'vitest';
import { testPostgresUrl } from '@istio-workshop/clusters/testing/test-databases';
import { LocalProgressBus, PostgresProgressBus, type ProgressBus, type ProgressEvent } from './progress-events';

function nextEvent(bus: ProgressBus, predicate: (e: ProgressEvent) => boolean): Promise<ProgressEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no event within 5 s')), 5_000);
    const off = bus.subscribe((e) => {
      if (!predicate(e)) return;
      clearTimeout(timer);
      off();
      resolve(e);
    });
  });
}

describe('progress events', () => {
  const open: ProgressBus[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((b) => b.close()));
  });

  it('deliver in one process', async () => {
    const bus = new LocalProgressBus();
    open.push(bus);
    const got = nextEvent(bus, (e) => e.kind === 'checked');
    await bus.publish({ kind: 'checked', learnerId: 'lrn-1', labId: 'l03', stepId: 's', at: new Date().toISOString() });
    expect((await got).learnerId).toBe('lrn-1');
  });

  it.skipIf(!testPostgresUrl())('reach a subscriber on another replica through PostgreSQL', async () => {
    const replicaA = await PostgresProgressBus.connect(testPostgresUrl());
    const replicaB = await PostgresProgressBus.connect(testPostgresUrl());
    open.push(replicaA, replicaB);
    const onB = nextEvent(replicaB, (e) => e.learnerId === 'lrn-from-a');
    const onA = nextEvent(replicaA, (e) => e.learnerId === 'lrn-from-a');
    await replicaA.publish({
      kind: 'checked',
      learnerId: 'lrn-from-a',
      cohortId: 'coh-1',
      at: new Date().toISOString(),
    });
    expect((await onB).cohortId).toBe('coh-1');
    expect((await onA).kind).toBe('checked');
  });

  it.skipIf(!testPostgresUrl())('refuses to publish a malformed event', async () => {
    const pgBus = await PostgresProgressBus.connect(testPostgresUrl());
    open.push(pgBus);
    await expect(pgBus.publish({ kind: 'nonsense' } as unknown as ProgressEvent)).rejects.toThrow();
  });
});
