// Failures are classified where they are thrown: a retryable one is resumed from its step by the
// service or the reconciler, a permanent one fails the environment with a human reason.

export class ProvisionError extends Error {
  override readonly name = 'ProvisionError';
  constructor(
    readonly step: string,
    message: string,
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(`${step}: ${message}`, options);
  }
}

export function isProvisionError(error: unknown): error is ProvisionError {
  return error instanceof ProvisionError;
}
