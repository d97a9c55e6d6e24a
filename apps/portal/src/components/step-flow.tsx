'use client';

import { useRef } from 'react';
import type { LessonStep, StepState } from './lesson-context';

export interface StepFlowState {
  /** Steps with a check that passed. */
  done: number;
  /** Steps with a check (reading steps are not counted). */
  checkable: number;
  /** The first checked step not done yet; undefined when the lab is complete. */
  next: LessonStep | undefined;
  complete: boolean;
}

/** Where the learner stands in a lab, decided from the server's progress only. */
export function stepFlowState(steps: readonly LessonStep[], progress: Record<string, StepState>): StepFlowState {
  const checked = steps.filter((s) => s.check !== 'none');
  const done = checked.filter((s) => progress[s.id]?.completedAt).length;
  const next = checked.find((s) => !progress[s.id]?.completedAt);
  return { done, checkable: checked.length, next, complete: checked.length > 0 && next === undefined };
}

interface Props {
  steps: readonly LessonStep[];
  progress: Record<string, StepState>;
  /** The step the learner is reading now (from the scroll position). */
  current: string | undefined;
  nextLab: { id: string; title: string } | null;
  onGo: (stepId: string) => void;
}

/** The lesson's step list, the next unfinished step and "lab complete", above the lesson text. */
export function StepFlow({ steps, progress, current, nextLab, onGo }: Props) {
  const flow = stepFlowState(steps, progress);
  const menu = useRef<HTMLDetailsElement>(null);
  return (
    <nav className="step-flow" aria-label="Steps of this lab" data-test="step-flow">
      <details className="step-menu" ref={menu}>
        <summary data-test="step-list-toggle">
          Steps · {flow.done}/{flow.checkable} done
        </summary>
        <ol className="step-list" data-test="step-list">
          {steps.map((s, i) => {
            const done = Boolean(progress[s.id]?.completedAt);
            const state = s.check === 'none' ? 'reading' : done ? 'done' : 'open';
            return (
              <li
                key={s.id}
                className={`step-item step-item-${state}${current === s.id ? ' step-item-current' : ''}`}
                data-test="step-item"
                data-step={s.id}
                data-state={state}
                aria-current={current === s.id ? 'step' : undefined}
              >
                <a
                  href={`#step-${s.id}`}
                  onClick={(e) => {
                    e.preventDefault();
                    // Fold the list so it does not cover the step it just scrolled to.
                    if (menu.current) menu.current.open = false;
                    onGo(s.id);
                  }}
                >
                  <span className="step-item-mark" aria-hidden>
                    {state === 'done' ? '✔' : state === 'reading' ? '·' : i + 1}
                  </span>
                  {s.title}
                  <span className="visually-hidden">
                    {state === 'done' ? ' (done)' : state === 'reading' ? ' (reading, no check)' : ' (not done yet)'}
                  </span>
                </a>
              </li>
            );
          })}
        </ol>
      </details>
      {flow.complete ? (
        <span className="lab-complete" data-test="lab-complete" role="status">
          ✔ Lab complete
          {nextLab ? (
            <a href={`/labs/${nextLab.id}`} data-test="next-lab">
              Next lab: {nextLab.title} →
            </a>
          ) : (
            <a href="/">Back to all labs</a>
          )}
        </span>
      ) : flow.next ? (
        <button type="button" className="next-step" data-test="next-step" data-step={flow.next.id} onClick={() => onGo(flow.next!.id)}>
          Next unfinished: {flow.next.title} →
        </button>
      ) : null}
    </nav>
  );
}
