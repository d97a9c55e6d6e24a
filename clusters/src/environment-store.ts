// Persistence of environments over a Kysely instance the caller owns (the portal's
// SQLite/Postgres database, or the CLI's own file). Every status write goes through
// the transition table inside a transaction and is guarded by `WHERE status = <from>`,
// so two writers racing on the same row cannot both win.

import { randomUUID } from 'node:crypto';
import { type Kysely, type Migration, Migrator, sql } from 'kysely';
import { z } from 'zod';
import {
  assertTransition,
  type EnvironmentStatus,
  environmentStatuses,
  usableStatuses,
} from './environment-state';

export const providerKinds = ['local', 'kind', 'existing'] as const;
export type ProviderKind = (typeof providerKinds)[number];

/** One environment as the rest of the platform sees it. Timestamps are ISO 8601 strings (UTC). */
export interface EnvironmentRecord {
  id: string;
  provider: ProviderKind;
  status: EnvironmentStatus;
  failureReason: string | null;
  learnerId: string | null;
  labId: string | null;
  contentVersion: string | null;
  clusterName: string | null;
  kubeconfigPath: string | null;
  /** Host port of the ingress gateway (kind provider), else null. */
  httpPort: number | null;
  /** Current (or failed) pipeline step while provisioning. */
  step: string | null;
  stepStartedAt: string | null;
  /** Provision attempts so far (the reconciler gives up after a configured number). */
  attempts: number;
  createdAt: string;
  updatedAt: string;
  statusChangedAt: string;
  assignedAt: string | null;
  expiresAt: string | null;
}

interface EnvironmentsTable {
  id: string;
  provider: string;
  status: string;
  failure_reason: string | null;
  learner_id: string | null;
  lab_id: string | null;
  content_version: string | null;
  cluster_name: string | null;
  kubeconfig_path: string | null;
  http_port: number | null;
  step: string | null;
  step_started_at: string | null;
  attempts: number;
  created_at: string;
  updated_at: string;
  status_changed_at: string;
  assigned_at: string | null;
  expires_at: string | null;
}

interface EnvironmentsDatabase {
  environments: EnvironmentsTable;
}

const usableStatusSql = usableStatuses.map((s) => `'${s}'`).join(', ');

/** Migrations the portal merges into its own migrator (names are prefixed so they sort apart from the portal's). */
export const environmentMigrations: Record<string, Migration> = {
  clusters_0001_environments: {
    // `any` is Kysely's own contract for migrations: they run against whatever schema exists.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('environments')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('provider', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('failure_reason', 'text')
        .addColumn('learner_id', 'text')
        .addColumn('lab_id', 'text')
        .addColumn('content_version', 'text')
        .addColumn('cluster_name', 'text')
        .addColumn('kubeconfig_path', 'text')
        .addColumn('http_port', 'integer')
        .addColumn('step', 'text')
        .addColumn('step_started_at', 'text')
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('status_changed_at', 'text', (c) => c.notNull())
        .addColumn('assigned_at', 'text')
        .addColumn('expires_at', 'text')
        .execute();
      await db.schema
        .createIndex('environments_status_idx')
        .ifNotExists()
        .on('environments')
        .columns(['status', 'provider'])
        .execute();
      // At most one usable environment per learner, enforced by the database itself so that
      // two portal replicas (or two tabs) racing on "Start lab" cannot both get one.
      await db.schema
        .createIndex('environments_one_usable_per_learner')
        .ifNotExists()
        .unique()
        .on('environments')
        .column('learner_id')
        .where(sql.raw<boolean>(`learner_id is not null and status in (${usableStatusSql})`))
        .execute();
      // Cluster names are unique among environments that may still hold one.
      await db.schema
        .createIndex('environments_live_cluster_name')
        .ifNotExists()
        .unique()
        .on('environments')
        .column('cluster_name')
        .where(sql.raw<boolean>(`cluster_name is not null and status <> 'deleted'`))
        .execute();
    },
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropTable('environments').ifExists().execute();
    },
  },
};

/**
 * Runs only our migrations, tracked in their own tables, for callers that do not merge them into a
 * migrator of their own (the clusters CLI, tests). Safe on a database where the portal already ran them.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function migrateEnvironmentStore(db: Kysely<any>): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => environmentMigrations },
    migrationTableName: 'clusters_migration',
    migrationLockTableName: 'clusters_migration_lock',
  });
  const { error } = await migrator.migrateToLatest();
  if (error) throw new Error(`clusters migrations failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}

export class EnvironmentNotFoundError extends Error {
  override readonly name = 'EnvironmentNotFoundError';
  constructor(readonly environmentId: string) {
    super(`environment ${environmentId} not found`);
  }
}

/** The row changed under us (another writer moved it first). */
export class EnvironmentConflictError extends Error {
  override readonly name = 'EnvironmentConflictError';
  constructor(
    readonly environmentId: string,
    readonly expected: EnvironmentStatus,
    readonly actual: EnvironmentStatus | 'missing',
  ) {
    super(`environment ${environmentId} was expected in status ${expected} but is ${actual}`);
  }
}

const rowSchema = z.object({
  id: z.string(),
  provider: z.enum(providerKinds),
  status: z.enum(environmentStatuses),
  failure_reason: z.string().nullable(),
  learner_id: z.string().nullable(),
  lab_id: z.string().nullable(),
  content_version: z.string().nullable(),
  cluster_name: z.string().nullable(),
  kubeconfig_path: z.string().nullable(),
  http_port: z.coerce.number().int().nullable(),
  step: z.string().nullable(),
  step_started_at: z.string().nullable(),
  attempts: z.coerce.number().int(),
  created_at: z.string(),
  updated_at: z.string(),
  status_changed_at: z.string(),
  assigned_at: z.string().nullable(),
  expires_at: z.string().nullable(),
});

function toRecord(row: unknown): EnvironmentRecord {
  const parsed = rowSchema.safeParse(row);
  if (!parsed.success) {
    const id = typeof row === 'object' && row !== null && 'id' in row ? String((row as { id: unknown }).id) : '?';
    throw new Error(`environment row ${id} is malformed: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const r = parsed.data;
  return {
    id: r.id,
    provider: r.provider,
    status: r.status,
    failureReason: r.failure_reason,
    learnerId: r.learner_id,
    labId: r.lab_id,
    contentVersion: r.content_version,
    clusterName: r.cluster_name,
    kubeconfigPath: r.kubeconfig_path,
    httpPort: r.http_port,
    step: r.step,
    stepStartedAt: r.step_started_at,
    attempts: r.attempts,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    statusChangedAt: r.status_changed_at,
    assignedAt: r.assigned_at,
    expiresAt: r.expires_at,
  };
}

export interface NewEnvironment {
  provider: ProviderKind;
  id?: string;
  learnerId?: string | null;
  labId?: string | null;
  contentVersion?: string | null;
  clusterName?: string | null;
  kubeconfigPath?: string | null;
  httpPort?: number | null;
}

/** Fields a transition may set at the same time as the status. */
export interface TransitionPatch {
  failureReason?: string | null;
  learnerId?: string | null;
  labId?: string | null;
  contentVersion?: string | null;
  clusterName?: string | null;
  kubeconfigPath?: string | null;
  httpPort?: number | null;
  step?: string | null;
  stepStartedAt?: string | null;
  attempts?: number;
  assignedAt?: string | null;
  expiresAt?: string | null;
}

export interface EnvironmentFilter {
  status?: EnvironmentStatus | readonly EnvironmentStatus[];
  provider?: ProviderKind;
  learnerId?: string;
}

export interface ClaimRequest {
  provider: ProviderKind;
  learnerId: string;
  labId: string;
  contentVersion: string;
  ttlMinutes: number;
}

export interface EnvironmentStoreOptions {
  /** Clock, injectable for TTL tests. */
  now?: () => Date;
}

function patchToColumns(patch: TransitionPatch): Partial<EnvironmentsTable> {
  const out: Partial<EnvironmentsTable> = {};
  if (patch.failureReason !== undefined) out.failure_reason = patch.failureReason;
  if (patch.learnerId !== undefined) out.learner_id = patch.learnerId;
  if (patch.labId !== undefined) out.lab_id = patch.labId;
  if (patch.contentVersion !== undefined) out.content_version = patch.contentVersion;
  if (patch.clusterName !== undefined) out.cluster_name = patch.clusterName;
  if (patch.kubeconfigPath !== undefined) out.kubeconfig_path = patch.kubeconfigPath;
  if (patch.httpPort !== undefined) out.http_port = patch.httpPort;
  if (patch.step !== undefined) out.step = patch.step;
  if (patch.stepStartedAt !== undefined) out.step_started_at = patch.stepStartedAt;
  if (patch.attempts !== undefined) out.attempts = patch.attempts;
  if (patch.assignedAt !== undefined) out.assigned_at = patch.assignedAt;
  if (patch.expiresAt !== undefined) out.expires_at = patch.expiresAt;
  return out;
}

export class EnvironmentStore {
  private readonly db: Kysely<EnvironmentsDatabase>;
  private readonly now: () => Date;

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  constructor(db: Kysely<any>, options: EnvironmentStoreOptions = {}) {
    this.db = db as Kysely<EnvironmentsDatabase>;
    this.now = options.now ?? (() => new Date());
  }

  private stamp(): string {
    return this.now().toISOString();
  }

  async create(input: NewEnvironment): Promise<EnvironmentRecord> {
    const at = this.stamp();
    const row: EnvironmentsTable = {
      id: input.id ?? randomUUID(),
      provider: input.provider,
      status: 'requested',
      failure_reason: null,
      learner_id: input.learnerId ?? null,
      lab_id: input.labId ?? null,
      content_version: input.contentVersion ?? null,
      cluster_name: input.clusterName ?? null,
      kubeconfig_path: input.kubeconfigPath ?? null,
      http_port: input.httpPort ?? null,
      step: null,
      step_started_at: null,
      attempts: 0,
      created_at: at,
      updated_at: at,
      status_changed_at: at,
      assigned_at: null,
      expires_at: null,
    };
    await this.db.insertInto('environments').values(row).execute();
    return toRecord(row);
  }

  async get(id: string): Promise<EnvironmentRecord | null> {
    const row = await this.db.selectFrom('environments').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  async require(id: string): Promise<EnvironmentRecord> {
    const env = await this.get(id);
    if (!env) throw new EnvironmentNotFoundError(id);
    return env;
  }

  async list(filter: EnvironmentFilter = {}): Promise<EnvironmentRecord[]> {
    let q = this.db.selectFrom('environments').selectAll();
    if (filter.status !== undefined) {
      const statuses = typeof filter.status === 'string' ? [filter.status] : [...filter.status];
      q = q.where('status', 'in', statuses);
    }
    if (filter.provider) q = q.where('provider', '=', filter.provider);
    if (filter.learnerId) q = q.where('learner_id', '=', filter.learnerId);
    const rows = await q.orderBy('created_at').orderBy('id').execute();
    return rows.map(toRecord);
  }

  async count(filter: EnvironmentFilter = {}): Promise<number> {
    return (await this.list(filter)).length;
  }

  /**
   * The learner's most recent environment, whatever its status: a failed or deleted one still carries
   * `failureReason`, so callers can show why it went away. A usable one always wins over older history.
   */
  async forLearner(learnerId: string): Promise<EnvironmentRecord | null> {
    const usable = await this.usableForLearner(learnerId);
    if (usable) return usable;
    const row = await this.db
      .selectFrom('environments')
      .selectAll()
      .where('learner_id', '=', learnerId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  /** The learner's usable environment (requested, provisioning, ready or assigned), if any. */
  async usableForLearner(learnerId: string): Promise<EnvironmentRecord | null> {
    const row = await this.db
      .selectFrom('environments')
      .selectAll()
      .where('learner_id', '=', learnerId)
      .where('status', 'in', [...usableStatuses])
      .executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  /**
   * Moves one environment to `to`, checked against the transition table, guarded against concurrent
   * writers. `expectedFrom` pins the status the caller believes the row is in.
   */
  async transition(
    id: string,
    to: EnvironmentStatus,
    patch: TransitionPatch = {},
    expectedFrom?: EnvironmentStatus | readonly EnvironmentStatus[],
  ): Promise<EnvironmentRecord> {
    return this.db.transaction().execute(async (trx) => {
      const current = await trx.selectFrom('environments').selectAll().where('id', '=', id).executeTakeFirst();
      if (!current) throw new EnvironmentNotFoundError(id);
      const from = toRecord(current).status;
      if (expectedFrom !== undefined) {
        const allowed = typeof expectedFrom === 'string' ? [expectedFrom] : expectedFrom;
        if (!allowed.includes(from)) throw new EnvironmentConflictError(id, allowed[0] ?? to, from);
      }
      assertTransition(from, to, id);
      const at = this.stamp();
      const columns: Partial<EnvironmentsTable> = {
        ...patchToColumns(patch),
        status: to,
        updated_at: at,
        status_changed_at: at,
      };
      // A failure reason is cleared when the environment becomes usable again; on the way to deletion it is
      // kept, so the learner (and the logs) can still see why their environment went away.
      if ((to === 'provisioning' || to === 'ready' || to === 'assigned') && patch.failureReason === undefined) {
        columns.failure_reason = null;
      }
      const updated = await trx
        .updateTable('environments')
        .set(columns)
        .where('id', '=', id)
        .where('status', '=', from)
        .returningAll()
        .executeTakeFirst();
      if (!updated) throw new EnvironmentConflictError(id, from, 'missing');
      return toRecord(updated);
    });
  }

  /** Records the pipeline step now running (only while provisioning): visible to the learner and to logs. */
  async recordStep(id: string, step: string): Promise<EnvironmentRecord> {
    const at = this.stamp();
    const updated = await this.db
      .updateTable('environments')
      .set({ step, step_started_at: at, updated_at: at })
      .where('id', '=', id)
      .where('status', '=', 'provisioning')
      .returningAll()
      .executeTakeFirst();
    if (!updated) {
      const env = await this.get(id);
      throw new EnvironmentConflictError(id, 'provisioning', env?.status ?? 'missing');
    }
    return toRecord(updated);
  }

  /**
   * Moves an assigned environment's expiry (a learner's "more time"), only while it is still
   * assigned to that learner: an environment expiring or reassigned meanwhile is a conflict.
   */
  async extendAssignment(id: string, learnerId: string, expiresAt: string): Promise<EnvironmentRecord> {
    const updated = await this.db
      .updateTable('environments')
      .set({ expires_at: expiresAt, updated_at: this.stamp() })
      .where('id', '=', id)
      .where('status', '=', 'assigned')
      .where('learner_id', '=', learnerId)
      .returningAll()
      .executeTakeFirst();
    if (!updated) {
      const env = await this.get(id);
      throw new EnvironmentConflictError(id, 'assigned', env?.status ?? 'missing');
    }
    return toRecord(updated);
  }

  /** Sets where the environment lives (cluster name, kubeconfig, port) before any side effect uses them. */
  async recordAllocation(
    id: string,
    allocation: { clusterName?: string | null; kubeconfigPath?: string | null; httpPort?: number | null },
  ): Promise<EnvironmentRecord> {
    const at = this.stamp();
    const updated = await this.db
      .updateTable('environments')
      .set({ ...patchToColumns(allocation), updated_at: at })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    if (!updated) throw new EnvironmentNotFoundError(id);
    return toRecord(updated);
  }

  /**
   * Atomically hands one unreserved `ready` environment of the provider to the learner. Returns null when
   * the pool is empty. One statement: the sub-select and the `status = 'ready'` guard make a double
   * assignment impossible even across processes; the unique index stops one learner getting two.
   */
  async claimReady(request: ClaimRequest): Promise<EnvironmentRecord | null> {
    assertTransition('ready', 'assigned');
    const nowDate = this.now();
    const at = nowDate.toISOString();
    const expiresAt = new Date(nowDate.getTime() + request.ttlMinutes * 60_000).toISOString();
    const updated = await this.db
      .updateTable('environments')
      .set({
        status: 'assigned',
        learner_id: request.learnerId,
        lab_id: request.labId,
        content_version: request.contentVersion,
        assigned_at: at,
        expires_at: expiresAt,
        updated_at: at,
        status_changed_at: at,
        failure_reason: null,
      })
      .where('id', '=', (eb) =>
        eb
          .selectFrom('environments')
          .select('id')
          .where('status', '=', 'ready')
          .where('provider', '=', request.provider)
          .where('learner_id', 'is', null)
          .orderBy('created_at')
          .orderBy('id')
          .limit(1),
      )
      .where('status', '=', 'ready')
      .returningAll()
      .executeTakeFirst();
    return updated ? toRecord(updated) : null;
  }

  /**
   * Reserves one unreserved environment that is still being made (requested/provisioning) for the learner;
   * it is assigned to them the moment it becomes ready. Not a status change, so no transition check.
   */
  async reserveSpare(request: Omit<ClaimRequest, 'ttlMinutes'>): Promise<EnvironmentRecord | null> {
    const at = this.stamp();
    const updated = await this.db
      .updateTable('environments')
      .set({
        learner_id: request.learnerId,
        lab_id: request.labId,
        content_version: request.contentVersion,
        updated_at: at,
      })
      .where('id', '=', (eb) =>
        eb
          .selectFrom('environments')
          .select('id')
          .where('status', 'in', ['requested', 'provisioning'])
          .where('provider', '=', request.provider)
          .where('learner_id', 'is', null)
          .orderBy('created_at')
          .orderBy('id')
          .limit(1),
      )
      .where('learner_id', 'is', null)
      .where('status', 'in', ['requested', 'provisioning'])
      .returningAll()
      .executeTakeFirst();
    return updated ? toRecord(updated) : null;
  }

  /** Environments whose TTL has passed (assigned ones only). */
  async expiredAssignments(): Promise<EnvironmentRecord[]> {
    const rows = await this.db
      .selectFrom('environments')
      .selectAll()
      .where('status', '=', 'assigned')
      .where('expires_at', 'is not', null)
      .where('expires_at', '<=', this.stamp())
      .execute();
    return rows.map(toRecord);
  }
}

/** True for a unique-constraint violation on SQLite (better-sqlite3) or PostgreSQL (pg). */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === '23505';
}
