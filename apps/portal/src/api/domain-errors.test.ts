import { EnvironmentCapacityError, EnvironmentNotFoundError, NoTerminalTargetError } from '@istio-workshop/clusters';
import { describe, expect, it } from 'vitest';
import { CohortJoinError } from '../cohorts/cohort-store';
import { domainErrorToApiError } from './domain-errors';

describe('domainErrorToApiError', () => {
  it.each([
    [new EnvironmentCapacityError('3 of 3 in use'), 503, 'every environment on this host is in use'],
    [new NoTerminalTargetError('environment env-1 is deleted, not assigned: no terminal to open'), 409, 'not assigned'],
    [new EnvironmentNotFoundError('env-1'), 404, 'environment env-1 not found'],
  ])('maps %s by its class', (error, status, fragment) => {
    const mapped = domainErrorToApiError(error);
    expect(mapped?.status).toBe(status);
    expect(mapped?.message).toContain(fragment);
  });

  it('tells a learner who is early when the cohort opens, as data the join page formats in local time', () => {
    const mapped = domainErrorToApiError(new CohortJoinError('not-started', 'opens later', '2026-12-04T09:00:00.000Z'));
    expect(mapped?.status).toBe(409);
    expect(mapped?.details).toEqual({ opensAt: '2026-12-04T09:00:00.000Z' });
  });

  it('leaves other errors (bugs) alone, whatever their message says', () => {
    expect(domainErrorToApiError(new Error('every environment on this host is in use'))).toBeUndefined();
  });
});
