import type { CheckErrorCode } from './check-result';

/** Why a check could not run (as opposed to "the step is not done yet"). */
export type RunErrorCode = Exclude<CheckErrorCode, 'no-check' | 'no-cluster'> | 'no-cluster';

/**
 * Thrown by cluster reads and probes when the check cannot produce a verdict: the API server
 * did not answer, RBAC refused, the deadline passed. The runner turns it into outcome `error`,
 * never into a failed step.
 */
export class CheckRunError extends Error {
  readonly code: RunErrorCode;
  /** What the learner reads, when the thrower knows better than the generic sentence for its code. */
  readonly summary?: string;

  constructor(code: RunErrorCode, message: string, options?: { cause?: unknown; summary?: string }) {
    super(message, options);
    this.name = 'CheckRunError';
    this.code = code;
    this.summary = options?.summary;
  }
}

export function isCheckRunError(error: unknown): error is CheckRunError {
  return error instanceof CheckRunError;
}
