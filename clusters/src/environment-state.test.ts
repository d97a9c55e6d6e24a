import { describe, expect, it } from 'vitest';
import {
  assertTransition,
  canTransition,
  environmentStatuses,
  environmentTransitions,
  IllegalTransitionError,
} from './environment-state';

describe('environment state machine', () => {
  it('allows the happy path requested → provisioning → ready → assigned → expiring → deleted', () => {
    const path = ['requested', 'provisioning', 'ready', 'assigned', 'expiring', 'deleted'] as const;
    for (let i = 1; i < path.length; i += 1) expect(() => assertTransition(path[i - 1]!, path[i]!)).not.toThrow();
  });

  it('names from and to when a move is illegal', () => {
    expect(() => assertTransition('deleted', 'assigned', 'env-1')).toThrow(IllegalTransitionError);
    expect(() => assertTransition('deleted', 'assigned', 'env-1')).toThrow(/deleted → assigned \(environment env-1\)/);
    expect(() => assertTransition('requested', 'assigned')).toThrow(/requested → assigned; allowed from requested: provisioning, failed, expiring/);
  });

  it('never leaves deleted and never hands out a failed environment', () => {
    for (const to of environmentStatuses) expect(canTransition('deleted', to)).toBe(false);
    expect(canTransition('failed', 'assigned')).toBe(false);
    expect(canTransition('failed', 'ready')).toBe(false);
  });

  it('lists only known statuses in the table', () => {
    for (const [from, tos] of Object.entries(environmentTransitions)) {
      expect(environmentStatuses).toContain(from);
      for (const to of tos) expect(environmentStatuses).toContain(to);
    }
  });
});

describe('provisioning progress', () => {
  it('says which step of how many and for how long', async () => {
    const { provisioningProgress } = await import('./provisioning-progress');
    const base = {
      id: 'e', provider: 'kind' as const, status: 'provisioning' as const, failureReason: null, learnerId: 'ada', labId: 'l', contentVersion: 'v',
      clusterName: 'iw-e', kubeconfigPath: '/k', httpPort: 18080, attempts: 1, createdAt: '2026-11-23T10:00:00.000Z', updatedAt: '2026-11-23T10:00:00.000Z',
      assignedAt: null, expiresAt: null,
    };
    const p = provisioningProgress(
      { ...base, step: 'install-istio', stepStartedAt: '2026-11-23T10:01:00.000Z', statusChangedAt: '2026-11-23T10:00:00.000Z' },
      new Date('2026-11-23T10:01:30.000Z'),
    );
    expect(p).toEqual({ step: 'install-istio', stepNumber: 5, stepCount: 11, stepElapsedMs: 30_000, totalElapsedMs: 90_000 });
  });
});
