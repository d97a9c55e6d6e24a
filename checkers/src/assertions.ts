import type { CheckCode } from './catalogue/check-codes';
import type { Assertion } from './check-result';

/** Fields a failing (or warning) assertion should carry: expected vs actual, a hint, one next command. */
export interface AssertionDetails {
  expected?: string;
  actual?: string;
  hint?: string;
  next?: string;
  /** Where in which object, e.g. "VirtualService default/reviews .spec.http[0].route". */
  path?: string;
}

function clean(details: AssertionDetails | undefined): AssertionDetails {
  const out: AssertionDetails = {};
  if (!details) return out;
  for (const key of ['expected', 'actual', 'hint', 'next', 'path'] as const) {
    const value = details[key];
    if (value !== undefined && value !== '') out[key] = value;
  }
  return out;
}

/** A passed assertion; details are optional (a note in `hint` is shown as such). */
export function pass(code: CheckCode, title: string, details?: AssertionDetails): Assertion {
  return { code, title, status: 'pass', ...clean(details) };
}

/** A failed assertion: give expected, actual, a hint in the learner's terms and one next command. */
export function fail(code: CheckCode, title: string, details: AssertionDetails): Assertion {
  return { code, title, status: 'fail', ...clean(details) };
}

/** Something worth saying that does not fail the step (e.g. `hosts: ["*"]` where a name was expected). */
export function warn(code: CheckCode, title: string, details: AssertionDetails): Assertion {
  return { code, title, status: 'warn', ...clean(details) };
}

/** pass() when `ok`, else fail() with the same details. Handy for one-line checks. */
export function expectThat(ok: boolean, code: CheckCode, title: string, details: AssertionDetails): Assertion {
  return ok
    ? pass(code, title, { expected: details.expected, actual: details.actual, path: details.path })
    : fail(code, title, details);
}
