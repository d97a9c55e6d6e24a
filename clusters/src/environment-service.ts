// The environment service: assignment, the warm pool, TTL expiry, health recycling and crash recovery.
// Ordering rule everywhere: the status (and allocation) is written first, the side effect follows, so a
// crash at any point leaves a row the reconciler knows how to converge.

import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { ClustersConfig } from './clusters-config';
import type { EnvironmentProvider } from './environment-provider';
import { liveStatuses } from './environment-state';
import {
  EnvironmentConflictError,
  type EnvironmentRecord,
  EnvironmentStore,
  isUniqueViolation,
} from './environment-store';
import { type EnvironmentCapacity, environmentCapacity, hostMemoryMiB } from './host-capacity';
import { isProvisionError } from './provision-error';
import { type ReconcileReport, reconcileEnvironments } from './reconcile-environments';

export interface EnvironmentServiceOptions {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  db: Kysely<any>;
  provider: EnvironmentProvider;
  config: ClustersConfig;
  logger: Logger;
  /** Clock for TTLs (tests move it). */
  now?: () => Date;
  /** Host memory in MiB for capacity math; default: this machine's total memory. */
  hostMemoryMiB?: number;
}

export interface EnvironmentService {
  /** Reconciles the DB with what exists, then runs the pool loop in the background. */
  start(): Promise<ReconcileReport>;
  /** Stops the loop and aborts provisions in flight (their rows stay `provisioning` for the next reconcile). */
  stop(): Promise<void>;
  /**
   * The learner's usable environment if they have one; else one from the pool (`assigned`); else a new one
   * made for them. With a cluster provider a new one comes back `requested`/`provisioning` with `learnerId`
   * set: poll `get(id)` (step, stepStartedAt) until it is `assigned`. The local provider answers `assigned` at once.
   */
  assign(learnerId: string, labId: string, contentVersion: string): Promise<EnvironmentRecord>;
  get(id: string): Promise<EnvironmentRecord | null>;
  /** The learner's most recent environment in any status (failed/deleted ones carry `failureReason`). */
  forLearner(learnerId: string): Promise<EnvironmentRecord | null>;
  /** Deletes the environment and assigns the same learner a fresh one (same lab and content version). */
  reset(id: string): Promise<EnvironmentRecord>;
  /**
   * The learner's "more time": the expiry moves one TTL later, but never past
   * CLUSTERS_MAX_LIFETIME_MINUTES after assignment. EnvironmentExtendError at the limit.
   */
  extend(id: string, learnerId: string): Promise<EnvironmentRecord>;
  /** Gives the environment up: it moves to `expiring` now and is deleted in the background. */
  release(id: string): Promise<EnvironmentRecord>;
  list(): Promise<EnvironmentRecord[]>;
  /**
   * Keeps at least `count` unassigned environments provisioned (the larger of this and
   * CLUSTERS_POOL_SIZE, within host capacity): an instructor's cohort before class, so that each
   * learner's assignment at join is instant. 0 returns to the configured pool size. Per process.
   */
  prewarm(count: number): Promise<void>;
  /** The unassigned environments (the warm pool) and where each one's provisioning is. */
  spares(): Promise<EnvironmentRecord[]>;
  /** One pass of the pool loop (expire, retry deletes, resume, health, replenish). */
  tick(): Promise<void>;
  reconcile(): Promise<ReconcileReport>;
  /** Resolves when no provision or deletion is in flight (tests, graceful shutdown). */
  idle(): Promise<void>;
  capacity(): EnvironmentCapacity;
  readonly store: EnvironmentStore;
}

export class EnvironmentCapacityError extends Error {
  override readonly name = 'EnvironmentCapacityError';
}

export class EnvironmentExtendError extends Error {
  override readonly name = 'EnvironmentExtendError';
}

/** When an assigned environment must end at the latest, whatever extensions it gets. */
export function lifetimeLimit(env: Pick<EnvironmentRecord, 'assignedAt'>, config: Pick<ClustersConfig, 'maxLifetimeMinutes'>): string | null {
  return env.assignedAt ? new Date(Date.parse(env.assignedAt) + config.maxLifetimeMinutes * 60_000).toISOString() : null;
}

export class EnvironmentNotAssignableError extends Error {
  override readonly name = 'EnvironmentNotAssignableError';
}

interface InFlight {
  kind: 'provision' | 'delete';
  controller: AbortController;
  promise: Promise<void>;
}

export function createEnvironmentService(options: EnvironmentServiceOptions): EnvironmentService {
  const { provider, config, logger } = options;
  const now = options.now ?? (() => new Date());
  const store = new EnvironmentStore(options.db, { now });
  const memoryMiB = options.hostMemoryMiB ?? hostMemoryMiB();
  const inFlight = new Map<string, InFlight>();
  const learnerLocks = new Map<string, Promise<unknown>>();
  let prewarmTarget = 0;
  const poolTarget = () => Math.max(config.poolSize, prewarmTarget);
  let timer: NodeJS.Timeout | null = null;
  let stopping = false;
  let pumpChain: Promise<void> = Promise.resolve();
  let allocationChain: Promise<void> = Promise.resolve();
  let lastHealthAt = 0;

  const capacity = (): EnvironmentCapacity => environmentCapacity(config, memoryMiB, provider.capacity());
  const log = (env: Pick<EnvironmentRecord, 'id'>) => logger.child({ environmentId: env.id, provider: provider.kind });

  const countProvisions = () => [...inFlight.values()].filter((f) => f.kind === 'provision').length;

  function track(id: string, kind: InFlight['kind'], work: (signal: AbortSignal) => Promise<void>): Promise<void> {
    const existing = inFlight.get(id);
    if (existing) return existing.promise;
    const controller = new AbortController();
    let failed = false;
    const promise = work(controller.signal)
      .catch((error: unknown) => {
        failed = true;
        log({ id }).error({ err: error }, `${kind} of environment failed unexpectedly`);
      })
      .finally(() => {
        if (inFlight.get(id)?.promise === promise) inFlight.delete(id);
        // A freed slot may start the next provision at once; after an unexpected failure (no free port,
        // database busy) the next pool tick retries instead, so a persistent fault cannot spin.
        if (!stopping && !failed) void pump();
      });
    inFlight.set(id, { kind, controller, promise });
    return promise;
  }

  /** Moves an environment to `expiring` (if not already) and deletes it; stays `expiring` if deletion fails. */
  function expire(env: EnvironmentRecord, why: string): Promise<void> {
    return track(env.id, 'delete', async () => {
      let current = (await store.get(env.id)) ?? env;
      if (current.status === 'deleted') return;
      if (current.status !== 'expiring') current = await store.transition(env.id, 'expiring');
      const l = log(current);
      l.info({ why, clusterName: current.clusterName }, 'deleting environment');
      try {
        await provider.destroy(current);
      } catch (error) {
        l.warn({ err: error }, 'deletion failed; the pool loop retries it');
        return;
      }
      await store.transition(env.id, 'deleted', {}, 'expiring');
      l.info('environment deleted');
    });
  }

  function provision(env: EnvironmentRecord): Promise<void> {
    return track(env.id, 'provision', async (signal) => {
      let current = env;
      const l = log(env);
      if (current.status === 'requested' && current.clusterName === null && current.kubeconfigPath === null) {
        // One allocation at a time: two provisions starting together must not pick the same port or slot.
        const env0 = current;
        const allocate = async () => {
          const taken = await store.list({ status: liveStatuses, provider: provider.kind });
          return store.recordAllocation(env0.id, await provider.allocate(env0, taken));
        };
        const next = allocationChain.then(allocate, allocate);
        allocationChain = next.then(
          () => undefined,
          () => undefined,
        );
        current = await next;
      }
      let fromStep = current.status === 'failed' ? current.step : null;
      current = await store.transition(current.id, 'provisioning', { attempts: current.attempts + 1 }, ['requested', 'failed']);
      let stepName: string | null = null;
      let stepStarted = Date.now();
      for (;;) {
        try {
          await provider.provision(current, {
            signal,
            fromStep,
            onStep: async (step) => {
              if (stepName) l.info({ step: stepName, elapsedMs: Date.now() - stepStarted }, 'provisioning step done');
              stepName = step;
              stepStarted = Date.now();
              await store.recordStep(current.id, step);
              l.info({ step, attempt: current.attempts }, 'provisioning step started');
            },
          });
          if (stepName) l.info({ step: stepName, elapsedMs: Date.now() - stepStarted }, 'provisioning step done');
          break;
        } catch (error) {
          const latest = await store.get(current.id);
          if (signal.aborted || latest?.status !== 'provisioning') {
            l.info({ status: latest?.status }, 'provisioning stopped');
            return;
          }
          const retryable = isProvisionError(error) ? error.retryable : !(error instanceof EnvironmentConflictError);
          const reason = error instanceof Error ? error.message : String(error);
          const failed = await store.transition(
            current.id,
            'failed',
            // A permanent failure uses up the attempts so no later reconcile resumes it.
            { failureReason: reason, attempts: retryable ? latest.attempts : config.provisionAttempts },
            'provisioning',
          );
          l.warn({ step: failed.step, reason, retryable, attempt: failed.attempts }, 'provisioning failed');
          if (!retryable || failed.attempts >= config.provisionAttempts || stopping) {
            if (!stopping) {
              inFlight.delete(current.id);
              void expire(failed, `provisioning failed: ${reason}`);
            }
            return;
          }
          fromStep = failed.step;
          current = await store.transition(current.id, 'provisioning', { attempts: failed.attempts + 1 }, 'failed');
          l.info({ fromStep, attempt: current.attempts }, 'resuming provisioning');
        }
      }
      try {
        const ready = await store.transition(current.id, 'ready', { step: null, stepStartedAt: null }, 'provisioning');
        l.info({ attempts: ready.attempts }, 'environment ready');
        if (ready.learnerId) {
          const at = now();
          await store.transition(
            ready.id,
            'assigned',
            { assignedAt: at.toISOString(), expiresAt: new Date(at.getTime() + config.ttlMinutes * 60_000).toISOString() },
            'ready',
          );
          l.info({ learnerId: ready.learnerId }, 'environment assigned to the learner it was made for');
        }
      } catch (error) {
        // Released (or recycled) in the instant between the last step and here: whoever moved it owns it now.
        if (!(error instanceof EnvironmentConflictError)) throw error;
        l.info({ reason: error.message }, 'environment changed hands while finishing its provision');
      }
    });
  }

  /** Starts waiting provisions within the concurrency cap and tops the pool up within capacity. Serialized. */
  function pump(): Promise<void> {
    const run = async () => {
      if (stopping) return;
      const live = await store.list({ status: liveStatuses, provider: provider.kind });
      const cap = capacity();
      let slots = config.maxConcurrentProvisions - countProvisions();
      const waiting = live
        .filter((e) => e.status === 'requested' && !inFlight.has(e.id))
        // Learners waiting come before the pool.
        .sort((a, b) => Number(b.learnerId !== null) - Number(a.learnerId !== null));
      for (const env of waiting) {
        if (slots <= 0 && !provider.provisionsInstantly) break;
        void provision(env);
        slots -= 1;
      }
      let spare = live.filter((e) => e.learnerId === null && ['requested', 'provisioning', 'ready'].includes(e.status)).length;
      let total = live.length;
      while (spare < poolTarget() && total < cap.max) {
        const env = await store.create({ provider: provider.kind });
        log(env).info({ spare, poolSize: poolTarget() }, 'replenishing the warm pool');
        spare += 1;
        total += 1;
        if (slots > 0 || provider.provisionsInstantly) {
          void provision(env);
          slots -= 1;
        }
      }
    };
    pumpChain = pumpChain.then(run, run).catch((error: unknown) => {
      logger.error({ err: error }, 'pool pump failed');
    });
    return pumpChain;
  }

  async function tick(): Promise<void> {
    for (const env of await store.expiredAssignments()) {
      if (!inFlight.has(env.id)) void expire(env, 'TTL reached');
    }
    for (const env of await store.list({ status: 'expiring', provider: provider.kind })) {
      if (!inFlight.has(env.id)) void expire(env, 'retrying deletion');
    }
    for (const env of await store.list({ status: 'failed', provider: provider.kind })) {
      if (inFlight.has(env.id)) continue;
      if (env.attempts < config.provisionAttempts && countProvisions() < config.maxConcurrentProvisions) void provision(env);
      else if (env.attempts >= config.provisionAttempts) void expire(env, `gave up: ${env.failureReason ?? 'failed'}`);
    }
    if (now().getTime() - lastHealthAt >= config.healthIntervalSeconds * 1000) {
      lastHealthAt = now().getTime();
      await checkHealth();
    }
    await pump();
  }

  async function checkHealth(): Promise<void> {
    for (const env of await store.list({ status: ['ready', 'assigned'], provider: provider.kind })) {
      if (inFlight.has(env.id)) continue;
      // A learner's cluster is only checked for existence: their lab may break the mesh on purpose.
      const report = await provider.checkHealth(env, env.status === 'ready' ? 'deep' : 'shallow').catch((error: unknown) => ({
        healthy: false,
        reason: `health check could not run: ${error instanceof Error ? error.message : String(error)}`,
      }));
      if (report.healthy) continue;
      const reason = `unhealthy: ${report.reason ?? 'no reason given'}`;
      try {
        const failed = await store.transition(env.id, 'failed', { failureReason: reason, attempts: config.provisionAttempts }, env.status);
        log(env).warn({ reason, learnerId: env.learnerId }, 'recycling sick environment');
        void expire(failed, reason);
      } catch (error) {
        if (!(error instanceof EnvironmentConflictError)) throw error;
      }
    }
  }

  async function withLearnerLock<T>(learnerId: string, work: () => Promise<T>): Promise<T> {
    const previous = learnerLocks.get(learnerId) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.catch(() => undefined);
    learnerLocks.set(learnerId, settled);
    try {
      return await next;
    } finally {
      if (learnerLocks.get(learnerId) === settled) learnerLocks.delete(learnerId);
    }
  }

  async function assign(learnerId: string, labId: string, contentVersion: string): Promise<EnvironmentRecord> {
    if (!learnerId) throw new EnvironmentNotAssignableError('assign: learner id is empty');
    return withLearnerLock(learnerId, async () => {
      const existing = await store.usableForLearner(learnerId);
      if (existing) return existing;
      const request = { provider: provider.kind, learnerId, labId, contentVersion };
      try {
        const claimed = await store.claimReady({ ...request, ttlMinutes: config.ttlMinutes });
        if (claimed) {
          log(claimed).info({ learnerId, labId }, 'assigned from the warm pool');
          void pump();
          return claimed;
        }
        const reserved = await store.reserveSpare(request);
        if (reserved) {
          log(reserved).info({ learnerId, labId, status: reserved.status }, 'reserved an environment still being made');
          void pump();
          return reserved;
        }
      } catch (error) {
        // Another process assigned this learner at the same moment: theirs wins.
        if (isUniqueViolation(error)) {
          const winner = await store.usableForLearner(learnerId);
          if (winner) return winner;
        }
        throw error;
      }
      const cap = capacity();
      const live = await store.count({ status: liveStatuses, provider: provider.kind });
      if (live >= cap.max) {
        throw new EnvironmentCapacityError(
          `no capacity for a new environment: ${live} of ${cap.max} in use (config ${cap.byConfig ?? '∞'}, memory ${cap.byMemory ?? '∞'}, provider ${cap.byProvider ?? '∞'})`,
        );
      }
      const env = await store.create(request);
      log(env).info({ learnerId, labId }, 'making a new environment for the learner');
      if (provider.provisionsInstantly) {
        await provision(env);
        return store.require(env.id);
      }
      void pump();
      return store.require(env.id);
    });
  }

  async function release(id: string): Promise<EnvironmentRecord> {
    const env = await store.require(id);
    if (env.status === 'deleted' || env.status === 'expiring') return env;
    const running = inFlight.get(id);
    // Written before the side effect: from here the provision task sees `expiring` and stops.
    const expiring = await store.transition(id, 'expiring');
    log(env).info({ from: env.status, learnerId: env.learnerId }, 'environment released');
    if (running?.kind === 'provision') {
      running.controller.abort();
      void running.promise.then(() => expire(expiring, 'released while provisioning'));
    } else {
      void expire(expiring, 'released');
    }
    return expiring;
  }

  async function reset(id: string): Promise<EnvironmentRecord> {
    const env = await store.require(id);
    if (!env.learnerId || !env.labId || !env.contentVersion) {
      throw new EnvironmentNotAssignableError(`environment ${id} belongs to no learner/lab; nothing to reset`);
    }
    await release(id);
    return assign(env.learnerId, env.labId, env.contentVersion);
  }

  async function reconcile(): Promise<ReconcileReport> {
    return reconcileEnvironments({
      store,
      provider,
      config,
      logger,
      capacity: capacity(),
      isBusy: (envId) => inFlight.has(envId),
      resume: (env) => void provision(env),
      expire: (env, why) => void expire(env, why),
    });
  }

  return {
    store,
    async extend(id: string, learnerId: string) {
      const env = await store.require(id);
      if (env.status !== 'assigned' || env.learnerId !== learnerId)
        throw new EnvironmentExtendError(`environment ${id} is ${env.status === 'assigned' ? 'not yours' : env.status}, so it cannot get more time`);
      const limit = lifetimeLimit(env, config);
      // One more TTL on top of what is left, so asking early never loses time.
      const wanted = Math.max(now().getTime(), env.expiresAt ? Date.parse(env.expiresAt) : 0) + config.ttlMinutes * 60_000;
      const until = Math.min(wanted, limit ? Date.parse(limit) : wanted);
      if (env.expiresAt && until <= Date.parse(env.expiresAt) + 1000)
        throw new EnvironmentExtendError(
          `this environment already runs as long as it can (${config.maxLifetimeMinutes} minutes); your progress is saved and a new environment can be started afterwards`,
        );
      const extended = await store.extendAssignment(id, learnerId, new Date(until).toISOString());
      log(extended).info({ expiresAt: extended.expiresAt }, 'learner extended the environment');
      return extended;
    },
    async prewarm(count: number) {
      if (!Number.isInteger(count) || count < 0) throw new RangeError(`prewarm count must be a whole number ≥ 0, got ${count}`);
      prewarmTarget = count;
      logger.info({ prewarm: count, poolSize: poolTarget() }, 'warm pool target set');
      await pump();
    },
    async spares() {
      const live = await store.list({ status: liveStatuses, provider: provider.kind });
      return live.filter((e) => e.learnerId === null && ['requested', 'provisioning', 'ready'].includes(e.status));
    },
    async start() {
      stopping = false;
      const report = await reconcile();
      await tick();
      timer = setInterval(() => {
        tick().catch((error: unknown) => logger.error({ err: error }, 'pool tick failed'));
      }, config.tickSeconds * 1000);
      timer.unref();
      return report;
    },
    async stop() {
      stopping = true;
      if (timer) clearInterval(timer);
      timer = null;
      for (const f of inFlight.values()) if (f.kind === 'provision') f.controller.abort();
      await Promise.allSettled([...inFlight.values()].map((f) => f.promise));
      await pumpChain;
    },
    assign,
    get: (id) => store.get(id),
    forLearner: (learnerId) => store.forLearner(learnerId),
    reset,
    release,
    list: () => store.list(),
    tick,
    reconcile,
    async idle() {
      for (let i = 0; i < 1000 && (inFlight.size > 0 || i === 0); i += 1) {
        await pumpChain;
        await Promise.allSettled([...inFlight.values()].map((f) => f.promise));
        await pumpChain;
      }
    },
    capacity,
  };
}

