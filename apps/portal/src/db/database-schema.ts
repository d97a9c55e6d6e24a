import type { Generated } from 'kysely';

export interface LearnersTable {
  id: string;
  display_name: string | null;
  created_at: string;
  last_seen_at: string;
}

export interface StepProgressTable {
  learner_id: string;
  lab_id: string;
  step_id: string;
  attempts: number;
  last_outcome: string | null;
  last_result: string | null;
  last_checked_at: string | null;
  completed_at: string | null;
  content_version: string | null;
}

export interface CheckRunsTable {
  id: Generated<number>;
  learner_id: string;
  lab_id: string;
  step_id: string;
  environment_id: string | null;
  outcome: string;
  result: string;
  created_at: string;
}

export interface RevealsTable {
  id: Generated<number>;
  learner_id: string;
  lab_id: string;
  step_id: string;
  what: string;
  revealed_at: string;
}

export interface LabSetupsTable {
  environment_id: string;
  lab_id: string;
  status: string;
  output: string | null;
  started_at: string;
  finished_at: string | null;
}

export interface InstructorsTable {
  id: string;
  email: string;
  display_name: string;
  password_hash: string;
  /** 1: sees and manages every cohort. Integer, not boolean: one type in SQLite and PostgreSQL. */
  is_admin: number;
  created_at: string;
}

export interface InstructorSessionsTable {
  /** SHA-256 of the session token: a leaked database does not leak live sessions. */
  token_hash: string;
  instructor_id: string;
  created_at: string;
  expires_at: string;
}

export interface CohortsTable {
  id: string;
  name: string;
  join_code: string;
  instructor_id: string;
  /** JSON array of lab ids, in the order the cohort takes them. */
  lab_ids: string;
  capacity: number;
  /** Environments to keep warm for learners still to join. */
  prewarm: number;
  /** 'open' | 'ended' */
  status: string;
  created_at: string;
  /** When learners may join; null: from created_at (cohorts made before start times existed). */
  starts_at: string | null;
  ends_at: string;
  ended_at: string | null;
}

export interface CohortMembersTable {
  cohort_id: string;
  learner_id: string;
  display_name: string;
  joined_at: string;
}

export interface HandRaisesTable {
  id: Generated<number>;
  cohort_id: string;
  learner_id: string;
  lab_id: string;
  step_id: string | null;
  message: string;
  /** JSON: the step's last check result and the learner's last commands, as the learner sent them. */
  context: string;
  raised_at: string;
  resolved_at: string | null;
}

export interface BroadcastsTable {
  id: Generated<number>;
  cohort_id: string;
  instructor_id: string;
  message: string;
  sent_at: string;
}

export interface PredictionsTable {
  learner_id: string;
  lab_id: string;
  step_id: string;
  /** What the learner typed: a number as text, or a choice id. */
  guess: string;
  made_at: string;
}

export interface PortalDatabase {
  predictions: PredictionsTable;
  instructors: InstructorsTable;
  instructor_sessions: InstructorSessionsTable;
  cohorts: CohortsTable;
  cohort_members: CohortMembersTable;
  hand_raises: HandRaisesTable;
  broadcasts: BroadcastsTable;
  lab_setups: LabSetupsTable;
  learners: LearnersTable;
  step_progress: StepProgressTable;
  check_runs: CheckRunsTable;
  reveals: RevealsTable;
}
