import { describe, expect, it } from 'vitest';
import type { LessonStep, StepState } from './lesson-context';
import { stepFlowState } from './step-flow';

const steps: LessonStep[] = [
  { id: 'read', title: 'Read', check: 'none', looksFor: [] },
  { id: 'a', title: 'A', check: 'state', looksFor: ['x'] },
  { id: 'b', title: 'B', check: 'probe', looksFor: ['y'] },
];
const done = (at: string | null): StepState => ({ completedAt: at, attempts: 1, lastResult: null });

describe('stepFlowState', () => {
  it('points at the first checked step that is not done, skipping reading steps', () => {
    expect(stepFlowState(steps, {})).toMatchObject({ done: 0, checkable: 2, complete: false, next: { id: 'a' } });
    expect(stepFlowState(steps, { a: done('t') })).toMatchObject({ done: 1, next: { id: 'b' } });
    expect(stepFlowState(steps, { b: done('t') }).next?.id).toBe('a');
  });

  it('says complete only when every checked step passed', () => {
    expect(stepFlowState(steps, { a: done('t'), b: done(null) }).complete).toBe(false);
    expect(stepFlowState(steps, { a: done('t'), b: done('t') })).toMatchObject({ complete: true, next: undefined, done: 2 });
  });

  it('never calls a lab without checks complete', () => {
    expect(stepFlowState([steps[0]!], {}).complete).toBe(false);
  });
});
