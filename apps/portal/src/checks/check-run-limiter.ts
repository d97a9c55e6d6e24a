import { ApiError } from '../api/api-error';

/**
 * Bounds the checks one learner can have running: one per step (asking again while it runs joins
 * that run and gets its result) and `perLearner` steps at once. A check can take up to the check
 * timeout of API reads and probe traffic, so an impatient or hostile client must not multiply it.
 */
/** What became of one request for a check. */
export type CheckRequestOutcome = 'started' | 'joined' | 'refused';

export class CheckRunLimiter<T> {
  private readonly running = new Map<string, Map<string, Promise<T>>>();

  constructor(
    private readonly perLearner: number,
    private readonly observe: (outcome: CheckRequestOutcome) => void = () => undefined,
  ) {
    if (!Number.isInteger(perLearner) || perLearner < 1) throw new Error(`perLearner must be a positive integer, got ${perLearner}`);
  }

  /** Runs `start` unless this learner's step already runs (then shares it); refuses over the per-learner limit. */
  run(learnerId: string, stepKey: string, start: () => Promise<T>): Promise<T> {
    const mine = this.running.get(learnerId) ?? new Map<string, Promise<T>>();
    const same = mine.get(stepKey);
    if (same) {
      this.observe('joined');
      return same;
    }
    if (mine.size >= this.perLearner) {
      this.observe('refused');
      throw new ApiError(
        'too-many-requests',
        `you already have ${mine.size} checks running (at most ${this.perLearner} at once); wait for one to finish, then check again`,
        5,
      );
    }
    this.observe('started');
    const run = (async () => start())().finally(() => {
      mine.delete(stepKey);
      if (mine.size === 0) this.running.delete(learnerId);
    });
    mine.set(stepKey, run);
    this.running.set(learnerId, mine);
    return run;
  }

  /** How many checks run now (all learners). */
  get size(): number {
    let n = 0;
    for (const steps of this.running.values()) n += steps.size;
    return n;
  }
}
