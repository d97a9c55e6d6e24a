import { ApiException } from '@kubernetes/client-node';
import { CheckRunError } from '../check-error';

const unreachableCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'EAI_AGAIN', 'EPIPE', 'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'ERR_TLS_CERT_ALTNAME_INVALID']);
const timeoutCodes = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT']);

/** The HTTP status of a client-node error, if it is an API answer. */
export function httpStatusOf(error: unknown): number | undefined {
  if (error instanceof ApiException) return error.code;
  const code = (error as { statusCode?: unknown; code?: unknown } | null)?.statusCode;
  return typeof code === 'number' ? code : undefined;
}

/** The `message` of a Kubernetes Status body, when the error carries one. */
export function statusMessageOf(error: unknown): string | undefined {
  const body: unknown = (error as { body?: unknown } | null)?.body;
  let parsed: unknown = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      return body.slice(0, 300) || undefined;
    }
  }
  const message = (parsed as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : undefined;
}

function causeCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let i = 0; i < 4 && current; i++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * Maps a failed API call to why the check could not run: 401/403 → `forbidden` (never retried),
 * connection errors → `unreachable`, aborts and socket timeouts → `timeout`. Callers handle 404
 * themselves (a missing object is an answer, not an error).
 */
export function toCheckRunError(error: unknown, what: string, signal?: AbortSignal): CheckRunError {
  if (error instanceof CheckRunError) return error;
  if (signal?.aborted) {
    const reason: unknown = signal.reason;
    return reason instanceof CheckRunError ? reason : new CheckRunError('timeout', `timed out while ${what}`, { cause: error });
  }
  const status = httpStatusOf(error);
  const detail = statusMessageOf(error);
  if (status === 401 || status === 403) {
    return new CheckRunError('forbidden', `The checker is not allowed to ${what}${detail ? `: ${detail}` : ''} (HTTP ${status})`, { cause: error });
  }
  if (status !== undefined) {
    return new CheckRunError('unreachable', `The API server answered HTTP ${status} while ${what}${detail ? `: ${detail}` : ''}`, { cause: error });
  }
  const name = (error as { name?: unknown } | null)?.name;
  const code = causeCode(error);
  if (name === 'AbortError' || (code && timeoutCodes.has(code))) {
    return new CheckRunError('timeout', `timed out while ${what}`, { cause: error });
  }
  if (code && unreachableCodes.has(code)) {
    return new CheckRunError('unreachable', `The cluster's API server is unreachable (${code}) while ${what}`, { cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new CheckRunError('unreachable', `Could not talk to the cluster while ${what}: ${message}`, { cause: error });
}
