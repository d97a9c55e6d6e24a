// A learner's prediction for a step ("what share will reach v3?"), stored before the step's check
// reads the live value, then judged against what the check observed.

import type { CheckResult } from '@istio-workshop/checkers/result';
import { judgePrediction, type Prediction, type PredictionVerdict } from '@istio-workshop/labs';
import type { Kysely } from 'kysely';
import type { PortalDatabase } from '../db/database-schema';

export class PredictionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PredictionError';
  }
}

/** The guess as stored, or a PredictionError naming what is wrong with it. */
export function normaliseGuess(prediction: Prediction, raw: string): string {
  const answer = prediction.answer;
  const guess = raw.trim();
  if (answer.kind === 'choice') {
    if (!answer.choices.some((c) => c.id === guess))
      throw new PredictionError(`pick one of: ${answer.choices.map((c) => c.label).join(' / ')}`);
    return guess;
  }
  const n = Number(guess.replace(',', '.'));
  if (guess === '' || !Number.isFinite(n)) throw new PredictionError(`type a number (${answer.unit})`);
  if (answer.min !== undefined && n < answer.min) throw new PredictionError(`the answer is at least ${answer.min} ${answer.unit}`);
  if (answer.max !== undefined && n > answer.max) throw new PredictionError(`the answer is at most ${answer.max} ${answer.unit}`);
  return String(n);
}

export async function savePrediction(db: Kysely<PortalDatabase>, input: { learnerId: string; labId: string; stepId: string; guess: string }): Promise<void> {
  const made_at = new Date().toISOString();
  await db
    .insertInto('predictions')
    .values({ learner_id: input.learnerId, lab_id: input.labId, step_id: input.stepId, guess: input.guess, made_at })
    .onConflict((oc) => oc.columns(['learner_id', 'lab_id', 'step_id']).doUpdateSet({ guess: input.guess, made_at }))
    .execute();
}

export async function predictionsForLab(db: Kysely<PortalDatabase>, learnerId: string, labId: string): Promise<Map<string, string>> {
  const rows = await db.selectFrom('predictions').select(['step_id', 'guess']).where('learner_id', '=', learnerId).where('lab_id', '=', labId).execute();
  return new Map(rows.map((r) => [r.step_id, r.guess]));
}

export interface PredictionState {
  guess: string;
  verdict: PredictionVerdict;
}

/** The stored guess judged against the step's last check (unjudged until a check observed a value). */
export function predictionState(prediction: Prediction, guess: string, lastResult: CheckResult | null | undefined): PredictionState {
  return { guess, verdict: judgePrediction(prediction, guess, lastResult?.observed) };
}
