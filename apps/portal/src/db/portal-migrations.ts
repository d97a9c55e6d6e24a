import { PostgresAdapter, sql, type ColumnDefinitionBuilder, type Kysely, type Migration } from 'kysely';

/**
 * An auto-numbered primary key in each dialect: SQLite's INTEGER PRIMARY KEY AUTOINCREMENT has no
 * PostgreSQL spelling, where an identity column is the equivalent.
 */
export function generatedId(db: Kysely<unknown>): (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder {
  return db.getExecutor().adapter instanceof PostgresAdapter
    ? (c) => c.primaryKey().generatedByDefaultAsIdentity()
    : (c) => c.primaryKey().autoIncrement();
}

/** The integer type for auto-numbered ids: bigint on PostgreSQL, integer (64-bit anyway) on SQLite. */
export function idType(db: Kysely<unknown>): 'bigint' | 'integer' {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'bigint' : 'integer';
}

// Names are prefixed per owning package so that several packages' migrations can share one migrator.
export const portalMigrations: Record<string, Migration> = {
  portal_0001_learners_progress: {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('learners')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('display_name', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_seen_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('step_progress')
        .addColumn('learner_id', 'text', (c) => c.notNull().references('learners.id').onDelete('cascade'))
        .addColumn('lab_id', 'text', (c) => c.notNull())
        .addColumn('step_id', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('last_outcome', 'text')
        .addColumn('last_result', 'text')
        .addColumn('last_checked_at', 'text')
        .addColumn('completed_at', 'text')
        .addColumn('content_version', 'text')
        .addPrimaryKeyConstraint('step_progress_pk', ['learner_id', 'lab_id', 'step_id'])
        .execute();
      await db.schema
        .createTable('check_runs')
        .addColumn('id', idType(db), generatedId(db))
        .addColumn('learner_id', 'text', (c) => c.notNull().references('learners.id').onDelete('cascade'))
        .addColumn('lab_id', 'text', (c) => c.notNull())
        .addColumn('step_id', 'text', (c) => c.notNull())
        .addColumn('environment_id', 'text')
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('result', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('check_runs_by_learner')
        .on('check_runs')
        .columns(['learner_id', 'lab_id', 'created_at'])
        .execute();
      await db.schema
        .createTable('reveals')
        .addColumn('id', idType(db), generatedId(db))
        .addColumn('learner_id', 'text', (c) => c.notNull().references('learners.id').onDelete('cascade'))
        .addColumn('lab_id', 'text', (c) => c.notNull())
        .addColumn('step_id', 'text', (c) => c.notNull())
        .addColumn('what', 'text', (c) => c.notNull())
        .addColumn('revealed_at', 'text', (c) => c.notNull())
        .execute();
      await sql`SELECT 1`.execute(db);
    },
  },
  portal_0002_lab_setups: {
    async up(db: Kysely<unknown>) {
      // One row per (environment, lab): the lab's setup.sh ran, or runs, against that environment.
      await db.schema
        .createTable('lab_setups')
        .addColumn('environment_id', 'text', (c) => c.notNull())
        .addColumn('lab_id', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('output', 'text')
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('finished_at', 'text')
        .addPrimaryKeyConstraint('lab_setups_pk', ['environment_id', 'lab_id'])
        .execute();
    },
  },
  portal_0003_instructors_cohorts: {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('instructors')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('email', 'text', (c) => c.notNull().unique())
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('is_admin', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('instructor_sessions')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('instructor_id', 'text', (c) => c.notNull().references('instructors.id').onDelete('cascade'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('cohorts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('join_code', 'text', (c) => c.notNull().unique())
        .addColumn('instructor_id', 'text', (c) => c.notNull().references('instructors.id'))
        .addColumn('lab_ids', 'text', (c) => c.notNull())
        .addColumn('capacity', 'integer', (c) => c.notNull())
        .addColumn('prewarm', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('ends_at', 'text', (c) => c.notNull())
        .addColumn('ended_at', 'text')
        .execute();
      await db.schema
        .createTable('cohort_members')
        .addColumn('cohort_id', 'text', (c) => c.notNull().references('cohorts.id').onDelete('cascade'))
        .addColumn('learner_id', 'text', (c) => c.notNull().references('learners.id').onDelete('cascade'))
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('joined_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('cohort_members_pk', ['cohort_id', 'learner_id'])
        .execute();
      await db.schema.createIndex('cohort_members_by_learner').on('cohort_members').column('learner_id').execute();
      await db.schema
        .createTable('hand_raises')
        .addColumn('id', idType(db), generatedId(db))
        .addColumn('cohort_id', 'text', (c) => c.notNull().references('cohorts.id').onDelete('cascade'))
        .addColumn('learner_id', 'text', (c) => c.notNull().references('learners.id').onDelete('cascade'))
        .addColumn('lab_id', 'text', (c) => c.notNull())
        .addColumn('step_id', 'text')
        .addColumn('message', 'text', (c) => c.notNull())
        .addColumn('context', 'text', (c) => c.notNull())
        .addColumn('raised_at', 'text', (c) => c.notNull())
        .addColumn('resolved_at', 'text')
        .execute();
      await db.schema
        .createTable('broadcasts')
        .addColumn('id', idType(db), generatedId(db))
        .addColumn('cohort_id', 'text', (c) => c.notNull().references('cohorts.id').onDelete('cascade'))
        .addColumn('instructor_id', 'text', (c) => c.notNull())
        .addColumn('message', 'text', (c) => c.notNull())
        .addColumn('sent_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
  portal_0004_predictions: {
    async up(db: Kysely<unknown>) {
      // One prediction per learner and step, stored before the check shows the live value.
      await db.schema
        .createTable('predictions')
        .addColumn('learner_id', 'text', (c) => c.notNull().references('learners.id').onDelete('cascade'))
        .addColumn('lab_id', 'text', (c) => c.notNull())
        .addColumn('step_id', 'text', (c) => c.notNull())
        .addColumn('guess', 'text', (c) => c.notNull())
        .addColumn('made_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('predictions_pk', ['learner_id', 'lab_id', 'step_id'])
        .execute();
    },
  },
  portal_0005_cohort_start: {
    async up(db: Kysely<unknown>) {
      // Nullable: existing cohorts opened when they were made.
      await db.schema.alterTable('cohorts').addColumn('starts_at', 'text').execute();
    },
  },
};
