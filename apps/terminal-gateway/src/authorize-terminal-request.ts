// The checks a terminal connection passes before anything is spawned; shared by the
// WebSocket upgrade and the plain-HTTP preflight (browsers cannot read a refused upgrade).
import type { SessionRegistry } from './session-registry';
import type { Refusal } from './gateway-refusal';
import { TerminalTokenError, verifyTerminalToken, type TerminalTokenPayload } from './terminal-token';
import type { TerminalSession } from './terminal-session';

export const terminalNamePattern = /^[a-z0-9][a-z0-9-]{0,31}$/;
export const defaultTerminalName = 'main';

export interface TerminalRequest {
  environmentId: string;
  token: string | null;
  terminalName: string | null;
  /** The Origin header; undefined when absent. */
  origin: string | undefined;
  /** The WebSocket upgrade requires an Origin; the preflight accepts none (same-origin GETs omit it). */
  requireOrigin: boolean;
}

export interface AuthorizationPolicy {
  secret: string;
  allowedOrigins: readonly string[];
  maxSessionsPerLearner: number;
  sessions: SessionRegistry;
  nowMs?: number;
}

export type Authorization =
  | { ok: true; payload: TerminalTokenPayload; terminalName: string; existing: TerminalSession | undefined }
  | { ok: false; refusal: Refusal; payload?: TerminalTokenPayload };

export function authorizeTerminalRequest(request: TerminalRequest, policy: AuthorizationPolicy): Authorization {
  if (request.origin === undefined ? request.requireOrigin : !policy.allowedOrigins.includes(request.origin))
    return {
      ok: false,
      refusal: {
        code: 'bad-origin',
        message: request.origin === undefined ? 'the request has no Origin header' : `origin ${request.origin} is not allowed to open terminals`,
      },
    };
  if (!request.token) return { ok: false, refusal: { code: 'missing-token', message: 'the `token` query parameter is missing' } };

  let payload: TerminalTokenPayload;
  try {
    payload = verifyTerminalToken(policy.secret, request.token, policy.nowMs);
  } catch (error) {
    if (error instanceof TerminalTokenError) return { ok: false, refusal: { code: error.reason, message: error.message } };
    throw error;
  }
  if (payload.env !== request.environmentId)
    return { ok: false, payload, refusal: { code: 'wrong-environment', message: 'the token was issued for a different environment' } };

  const terminalName = request.terminalName ?? defaultTerminalName;
  if (!terminalNamePattern.test(terminalName))
    return { ok: false, payload, refusal: { code: 'bad-request', message: 'the `terminal` name must match [a-z0-9][a-z0-9-]{0,31}' } };

  const existing = policy.sessions.get(payload.env, terminalName);
  if (payload.role === 'observer') {
    if (!existing) return { ok: false, payload, refusal: { code: 'no-session', message: 'there is no running terminal to observe' } };
    return { ok: true, payload, terminalName, existing };
  }
  // Re-attaching to one's own session never counts against the limit; a new one (or taking over
  // a session another learner left in this environment) does.
  const reuses = existing !== undefined && existing.learnerId === payload.sub;
  if (!reuses && policy.sessions.countForLearner(payload.sub) >= policy.maxSessionsPerLearner)
    return {
      ok: false,
      payload,
      refusal: {
        code: 'too-many-sessions',
        message: `you already have ${policy.maxSessionsPerLearner} open terminals; close one first`,
      },
    };
  return { ok: true, payload, terminalName, existing };
}
