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

export interface PortalDatabase {
  lab_setups: LabSetupsTable;
  learners: LearnersTable;
  step_progress: StepProgressTable;
  check_runs: CheckRunsTable;
  reveals: RevealsTable;
}
