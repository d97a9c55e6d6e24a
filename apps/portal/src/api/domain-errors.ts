import {
  EnvironmentCapacityError,
  EnvironmentConflictError,
  EnvironmentExtendError,
  EnvironmentNotAssignableError,
  EnvironmentNotFoundError,
  NoTerminalTargetError,
} from '@istio-workshop/clusters';
import { ZodError } from 'zod';
import { NotInCohortError } from '../cohorts/cohort-help';
import { CohortJoinError, CohortNotFoundError } from '../cohorts/cohort-store';
import { PredictionError } from '../predictions/prediction-store';
import { InstructorExistsError } from '../instructors/instructor-store';
import { ApiError } from './api-error';

/**
 * The errors other packages throw for a learner's request, by class (never by message text), as
 * the API error a learner reads. Undefined: not a domain error (a bug, answered as internal).
 */
export function domainErrorToApiError(error: unknown): ApiError | undefined {
  if (error instanceof EnvironmentCapacityError)
    return new ApiError('unavailable', `every environment on this host is in use; try again in a few minutes (${error.message})`, 60);
  if (error instanceof NoTerminalTargetError || error instanceof EnvironmentConflictError || error instanceof EnvironmentNotAssignableError)
    return new ApiError('conflict', error.message);
  if (error instanceof EnvironmentNotFoundError) return new ApiError('not-found', error.message);
  if (error instanceof EnvironmentExtendError) return new ApiError('conflict', error.message);
  if (error instanceof CohortNotFoundError) return new ApiError('not-found', error.message);
  if (error instanceof CohortJoinError)
    return new ApiError(error.problem === 'unknown-code' ? 'not-found' : 'conflict', error.message, undefined, error.opensAt ? { opensAt: error.opensAt } : undefined);
  if (error instanceof NotInCohortError) return new ApiError('not-allowed', error.message);
  if (error instanceof PredictionError) return new ApiError('invalid-input', `prediction: ${error.message}`);
  if (error instanceof InstructorExistsError) return new ApiError('conflict', error.message);
  if (error instanceof ZodError) return ApiError.fromZod('invalid input', error);
  return undefined;
}
