// The environment state machine. Every status write in the store goes through
// `assertTransition`, so an illegal move (deleted → assigned, say) fails loudly
// instead of silently corrupting the pool.

export const environmentStatuses = [
  'requested',
  'provisioning',
  'ready',
  'assigned',
  'expiring',
  'deleted',
  'failed',
] as const;

export type EnvironmentStatus = (typeof environmentStatuses)[number];

/**
 * Allowed moves. Notes on the less obvious edges:
 * - `failed → provisioning`: the reconciler resumes a failed provision from its failed step (retryable failures).
 * - `ready → failed`, `assigned → failed`: a health check found the cluster sick or gone; it is recycled.
 * - `requested|provisioning → expiring`: an environment nobody needs any more (pool shrink, release while
 *   provisioning) is torn down.
 * - `failed → expiring`: a failed environment is always deleted, never handed out.
 */
export const environmentTransitions: Readonly<Record<EnvironmentStatus, readonly EnvironmentStatus[]>> = {
  requested: ['provisioning', 'failed', 'expiring'],
  provisioning: ['ready', 'failed', 'expiring'],
  ready: ['assigned', 'failed', 'expiring'],
  assigned: ['expiring', 'failed'],
  expiring: ['deleted'],
  deleted: [],
  failed: ['provisioning', 'expiring'],
};

/** Statuses whose environment may still hold a cluster (or an existing-cluster slot). */
export const liveStatuses: readonly EnvironmentStatus[] = ['requested', 'provisioning', 'ready', 'assigned', 'expiring', 'failed'];

/** Statuses in which an environment is (or is becoming) usable by a learner. */
export const usableStatuses: readonly EnvironmentStatus[] = ['requested', 'provisioning', 'ready', 'assigned'];

export class IllegalTransitionError extends Error {
  override readonly name = 'IllegalTransitionError';
  constructor(
    readonly from: EnvironmentStatus,
    readonly to: EnvironmentStatus,
    readonly environmentId?: string,
  ) {
    super(
      `illegal environment transition ${from} → ${to}${environmentId ? ` (environment ${environmentId})` : ''}; ` +
        `allowed from ${from}: ${environmentTransitions[from].join(', ') || 'none'}`,
    );
  }
}

export function isEnvironmentStatus(value: string): value is EnvironmentStatus {
  return (environmentStatuses as readonly string[]).includes(value);
}

export function canTransition(from: EnvironmentStatus, to: EnvironmentStatus): boolean {
  return environmentTransitions[from].includes(to);
}

export function assertTransition(from: EnvironmentStatus, to: EnvironmentStatus, environmentId?: string): void {
  if (!canTransition(from, to)) throw new IllegalTransitionError(from, to, environmentId);
}
