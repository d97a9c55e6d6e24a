import type { z } from 'zod';

/** The small set of domain errors the API speaks; mapped to HTTP in one place (statusOf). */
export type ApiErrorCode =
  | 'invalid-input'
  | 'not-found'
  | 'conflict'
  | 'not-signed-in'
  | 'not-allowed'
  | 'too-large'
  | 'unsupported-media-type'
  | 'too-many-requests'
  | 'unavailable'
  | 'internal';

const statusOf: Record<ApiErrorCode, number> = {
  'invalid-input': 400,
  'not-signed-in': 401,
  'not-allowed': 403,
  'not-found': 404,
  conflict: 409,
  'too-large': 413,
  'unsupported-media-type': 415,
  'too-many-requests': 429,
  unavailable: 503,
  internal: 500,
};

export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    /** For `too-many-requests` and `unavailable`: when asking again makes sense (Retry-After). */
    readonly retryAfterSeconds?: number,
    /** Machine-readable facts beside the message (e.g. when a cohort opens), sent in the error body. */
    readonly details?: Record<string, string>,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  static fromZod(what: string, error: z.ZodError): ApiError {
    const details = error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
    return new ApiError('invalid-input', `${what}: ${details}`);
  }

  get status(): number {
    return statusOf[this.code];
  }
}

export function errorBody(code: ApiErrorCode, message: string, details?: Record<string, string>) {
  return { error: { code, message, ...details } };
}
