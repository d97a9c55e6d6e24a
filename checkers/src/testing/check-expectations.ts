/** Assertion helpers for the Module B check tests (imported by tests only). */
import { expect } from 'vitest';
import type { CheckResult } from '../check-result';
import type { CheckHarness } from './index';

export function failedCodes(r: CheckResult): string[] {
  return r.assertions.filter((a) => a.status === 'fail').map((a) => a.code);
}

export function warnCodes(r: CheckResult): string[] {
  return r.assertions.filter((a) => a.status === 'warn').map((a) => a.code);
}

/** The first failing assertion with `code`; fails the test when absent. */
export function failure(r: CheckResult, code: string) {
  const a = r.assertions.find((x) => x.status === 'fail' && x.code === code);
  expect(a, `expected a failing ${code}; got ${JSON.stringify(r.assertions.map((x) => [x.code, x.status]))}${r.error ? ` error ${r.error.message}` : ''}`).toBeDefined();
  // Every failure must name expected vs actual, give a hint and one next command.
  expect(a?.expected).toBeTruthy();
  expect(a?.actual).toBeTruthy();
  expect(a?.hint).toBeTruthy();
  expect(a?.next).toBeTruthy();
  return a!;
}

/** The passing assertion with `code`, if any. */
export const passed = (r: CheckResult, code: string) => r.assertions.find((a) => a.code === code && a.status === 'pass');

/** The page time an assertion reports (`… 6012 ms …`): the modelled time plus the probe's real overhead. */
export const msIn = (text: string | undefined) => Number(/(\d+) ms/.exec(text ?? '')?.[1] ?? NaN);

export function expectPassed(r: CheckResult): void {
  expect(r.error, r.error?.message).toBeUndefined();
  expect(failedCodes(r), JSON.stringify(r.assertions.filter((a) => a.status === 'fail'), null, 1)).toEqual([]);
  expect(r.outcome).toBe('passed');
}

export function expectFailed(r: CheckResult): void {
  expect(r.error, r.error?.message).toBeUndefined();
  expect(r.outcome).toBe('failed');
}

/** Checks read, never write: every request the fake API server saw was a GET or an exec probe (which changes no object). */
export function expectOnlyReads(h: CheckHarness): void {
  const writes = h.api.requests.filter((q) => q.method !== 'GET' && q.method !== 'EXEC');
  expect(writes).toEqual([]);
}
