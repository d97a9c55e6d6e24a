// The instructor's live view of a cohort: one row per learner, one cell per step of the cohort's
// labs, who looks stuck and why, and which failure codes are most common per step.

import { checkResultSchema, type CheckResult } from '@istio-workshop/checkers/result';
import type { Kysely } from 'kysely';
import type { PortalDatabase } from '../db/database-schema';
import { cohortMembers, type Cohort } from './cohort-store';

export interface GridLab {
  id: string;
  title: string;
  steps: { id: string; title: string }[];
}

export type CellState = 'done' | 'failing' | 'could-not-run' | 'not-started';

export interface GridCell {
  state: CellState;
  attempts: number;
  lastCheckedAt: string | null;
  /** Codes of the failing assertions of the last check (empty unless failing). */
  failingCodes: string[];
  /** The last check's one-sentence summary, shown on hover. */
  summary: string | null;
}

export type StuckReason =
  | { kind: 'idle'; minutes: number }
  | { kind: 'repeated-failures'; labId: string; stepId: string; attempts: number; code: string | null };

export interface HandRaise {
  id: number;
  labId: string;
  stepId: string | null;
  message: string;
  raisedAt: string;
  context: unknown;
}

export interface GridLearner {
  learnerId: string;
  displayName: string;
  joinedAt: string;
  lastActivityAt: string | null;
  done: number;
  total: number;
  /** Keyed `${labId}/${stepId}`. */
  cells: Record<string, GridCell>;
  stuck: StuckReason | null;
  hand: HandRaise | null;
}

export interface FailureBucket {
  labId: string;
  stepId: string;
  code: string;
  title: string;
  learners: number;
}

export interface CohortGrid {
  cohort: Cohort;
  labs: GridLab[];
  learners: GridLearner[];
  /** Per step and failure code, how many learners' last check failed on it; most common first. */
  failures: FailureBucket[];
  generatedAt: string;
  /** For a cohort that asked for pre-warmed environments: the host's warm pool as it fills. */
  warm?: { wanted: number; spares: { id: string; status: string; step: string | null }[] };
}

export interface GridOptions {
  stuckAfterMinutes: number;
  stuckAfterFailures: number;
  now?: Date;
}

function parseResult(json: string | null): CheckResult | null {
  if (!json) return null;
  try {
    const parsed = checkResultSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function cellOf(
  row: { attempts: number; last_outcome: string | null; last_checked_at: string | null; completed_at: string | null },
  result: CheckResult | null,
): GridCell {
  const failingCodes =
    result?.outcome === 'failed' ? result.assertions.filter((a) => a.status === 'fail').map((a) => a.code) : [];
  const state: CellState = row.completed_at
    ? 'done'
    : row.last_outcome === 'failed'
      ? 'failing'
      : row.last_outcome === 'error'
        ? 'could-not-run'
        : 'not-started';
  return {
    state,
    attempts: row.attempts,
    lastCheckedAt: row.last_checked_at,
    failingCodes: state === 'failing' ? failingCodes : [],
    summary: result?.summary ?? null,
  };
}

export async function cohortGrid(
  db: Kysely<PortalDatabase>,
  cohort: Cohort,
  labs: GridLab[],
  options: GridOptions,
): Promise<CohortGrid> {
  const now = options.now ?? new Date();
  const members = await cohortMembers(db, cohort.id);
  const labIds = labs.map((l) => l.id);
  const learnerIds = members.map((m) => m.learnerId);
  const total = labs.reduce((n, l) => n + l.steps.length, 0);
  const known = new Set(labs.flatMap((l) => l.steps.map((s) => `${l.id}/${s.id}`)));
  const stepTitle = new Map<string, string>(
    labs.flatMap((l) => l.steps.map((s) => [`${l.id}/${s.id}`, s.title] as [string, string])),
  );

  const progress =
    learnerIds.length && labIds.length
      ? await db
          .selectFrom('step_progress')
          .selectAll()
          .where('learner_id', 'in', learnerIds)
          .where('lab_id', 'in', labIds)
          .execute()
      : [];
  const hands =
    learnerIds.length > 0
      ? await db
          .selectFrom('hand_raises')
          .selectAll()
          .where('cohort_id', '=', cohort.id)
          .where('resolved_at', 'is', null)
          .orderBy('raised_at')
          .execute()
      : [];

  const rowsByLearner = new Map<string, typeof progress>();
  for (const row of progress) {
    if (!known.has(`${row.lab_id}/${row.step_id}`)) continue;
    const list = rowsByLearner.get(row.learner_id) ?? [];
    list.push(row);
    rowsByLearner.set(row.learner_id, list);
  }
  const handByLearner = new Map(hands.map((h) => [h.learner_id, h]));
  const buckets = new Map<string, FailureBucket>();

  const learners = members.map((member): GridLearner => {
    const rows = rowsByLearner.get(member.learnerId) ?? [];
    const cells: Record<string, GridCell> = {};
    let done = 0;
    let lastActivityAt: string | null = null;
    let lastProgressAt = member.joinedAt;
    let worst: StuckReason | null = null;
    let latestFailing: { at: string; reason: StuckReason } | null = null;
    for (const row of rows) {
      const key = `${row.lab_id}/${row.step_id}`;
      const result = parseResult(row.last_result);
      const cell = cellOf(row, result);
      cells[key] = cell;
      if (cell.state === 'done') {
        done++;
        if (row.completed_at && row.completed_at > lastProgressAt) lastProgressAt = row.completed_at;
      }
      if (row.last_checked_at && (!lastActivityAt || row.last_checked_at > lastActivityAt))
        lastActivityAt = row.last_checked_at;
      if (cell.state === 'failing') {
        const code = cell.failingCodes[0] ?? null;
        if (code) {
          const failed = result?.assertions.find((a) => a.code === code);
          const bucketKey = `${key}#${code}`;
          const bucket = buckets.get(bucketKey) ?? {
            labId: row.lab_id,
            stepId: row.step_id,
            code,
            title: failed?.title ?? stepTitle.get(key) ?? code,
            learners: 0,
          };
          bucket.learners++;
          buckets.set(bucketKey, bucket);
        }
        if (
          row.attempts >= options.stuckAfterFailures &&
          row.last_checked_at &&
          (!latestFailing || row.last_checked_at > latestFailing.at)
        )
          latestFailing = {
            at: row.last_checked_at,
            reason: { kind: 'repeated-failures', labId: row.lab_id, stepId: row.step_id, attempts: row.attempts, code },
          };
      }
    }
    if (latestFailing) worst = latestFailing.reason;
    const idleMinutes = Math.floor((now.getTime() - Date.parse(lastProgressAt)) / 60_000);
    if (!worst && done < total && idleMinutes >= options.stuckAfterMinutes)
      worst = { kind: 'idle', minutes: idleMinutes };
    const hand = handByLearner.get(member.learnerId);
    return {
      learnerId: member.learnerId,
      displayName: member.displayName,
      joinedAt: member.joinedAt,
      lastActivityAt,
      done,
      total,
      cells,
      stuck: worst,
      hand: hand
        ? {
            id: Number(hand.id),
            labId: hand.lab_id,
            stepId: hand.step_id,
            message: hand.message,
            raisedAt: hand.raised_at,
            context: JSON.parse(hand.context) as unknown,
          }
        : null,
    };
  });

  return {
    cohort,
    labs,
    learners,
    failures: [...buckets.values()].sort((a, b) => b.learners - a.learners || a.code.localeCompare(b.code)),
    generatedAt: now.toISOString(),
  };
}
