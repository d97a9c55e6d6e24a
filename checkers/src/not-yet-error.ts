import type { Assertion } from './check-result';

/**
 * Thrown by a check or probe to stop early because the step is plainly not done yet (e.g. the pod
 * a probe must run in does not exist). The runner reports its assertion as a failed step, never
 * as "could not run".
 */
export class NotYetError extends Error {
  readonly assertion: Assertion;

  constructor(assertion: Assertion) {
    super(assertion.title);
    this.name = 'NotYetError';
    this.assertion = assertion;
  }
}
