'use client';

import { createContext, useContext } from 'react';
import type { CheckResult } from '@istio-workshop/checkers/result';
import type { Prediction, PredictionVerdict } from '@istio-workshop/labs';

export interface LessonStep {
  id: string;
  title: string;
  check: 'state' | 'probe' | 'telemetry' | 'none';
  /** What the step's check looks for (assertion titles), shown before it can run. */
  looksFor: readonly string[];
  /** A question the learner answers before the check shows the live value. */
  prediction?: Prediction;
}

export interface PredictionView {
  guess: string;
  verdict: PredictionVerdict;
}

export interface StepState {
  completedAt: string | null;
  attempts: number;
  lastResult: CheckResult | null;
  /** How long the learner waited for the last check, measured in the browser (absent after a reload). */
  waitedMs?: number;
  /** The learner's prediction for this step, judged against the last check's observed value. */
  prediction?: PredictionView;
}

export interface LessonActions {
  steps: LessonStep[];
  progress: Record<string, StepState>;
  run(command: string): void;
  canRun: boolean;
  runCheck(stepId: string): Promise<void>;
  checking: string | undefined;
  reveal(stepId: string, what: 'hint' | 'solution'): Promise<string | undefined>;
  /** Stores a prediction; resolves with an error message, or nothing when stored. */
  predict(stepId: string, guess: string): Promise<string | undefined>;
  /** Whether the learner's environment has a cluster; undefined until known. */
  hasCluster: boolean | undefined;
  /**
   * Opens the dashboard tab a lesson link points into (`/grafana/d/<uid>`), at that view; false when
   * the link is not under a dashboard (an ordinary link).
   */
  openDashboard(href: string): boolean;
}

export const LessonContext = createContext<LessonActions | undefined>(undefined);
export const StepContext = createContext<string | undefined>(undefined);

export function useLesson(): LessonActions {
  const value = useContext(LessonContext);
  if (!value) throw new Error('lesson components must be rendered inside a LessonContext');
  return value;
}
