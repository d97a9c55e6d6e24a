import type { z } from 'zod';

/** The small set of domain errors the API speaks; mapped to HTTP in one place (toResponse). */
export type ApiErrorCode = 'invalid-input' | 'not-found' | 'conflict' | 'not-allowed' | 'unavailable' | 'internal';

const statusOf: Record<ApiErrorCode, number> = {
  'invalid-input': 400,
  'not-allowed': 403,
  'not-found': 404,
  conflict: 409,
  unavailable: 503,
  internal: 500,
};

export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
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

export function errorBody(code: ApiErrorCode, message: string) {
  return { error: { code, message } };
}
