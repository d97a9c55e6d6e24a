// Why a terminal connection is refused, as an HTTP status and a stable code the client can show.

export const refusalStatus = {
  'missing-token': 401,
  malformed: 401,
  'bad-signature': 401,
  expired: 401,
  'not-yet-valid': 401,
  'bad-origin': 403,
  'wrong-environment': 403,
  'bad-request': 400,
  'no-session': 404,
  'too-many-sessions': 429,
  'spawn-failed': 500,
  'sandbox-unavailable': 503,
  'shutting-down': 503,
} as const;

export type RefusalCode = keyof typeof refusalStatus;

export interface Refusal {
  code: RefusalCode;
  message: string;
}

export function refusalBody(refusal: Refusal): string {
  return JSON.stringify({ error: { code: refusal.code, message: refusal.message } });
}
