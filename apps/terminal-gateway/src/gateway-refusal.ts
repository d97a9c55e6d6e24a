// Why a terminal connection is refused, as an HTTP status and a stable code the client can show.
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';

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
  /** Admission: too many live terminals, or too many new ones per second. The upgrade itself is
   * answered with a WebSocket close 1013 (`closeCodes.tryAgainLater`) and this message as reason. */
  'platform-full': 503,
  /** A one-time ticket (`jti`) that already opened a terminal. */
  'ticket-used': 401,
} as const;

export type RefusalCode = keyof typeof refusalStatus;

export interface Refusal {
  code: RefusalCode;
  message: string;
  /** For `platform-full`: when trying again makes sense. */
  retryAfterSeconds?: number;
}

export function refusalBody(refusal: Refusal): string {
  return JSON.stringify({ error: { code: refusal.code, message: refusal.message } });
}

/** Answers a WebSocket upgrade with a plain HTTP error (nothing was accepted or spawned). */
export function writeUpgradeRefusal(socket: Duplex, refusal: Refusal): void {
  const status = refusalStatus[refusal.code];
  const body = refusalBody(refusal);
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n${body}`,
  );
}
