// The terminal wire protocol shared by the gateway and the browser (`@istio-workshop/terminal-gateway/protocol`):
// JSON control frames in both directions, validated with zod on receipt, binary frames for output, and
// the WebSocket close codes with what each means to the learner. Browser-safe: imports zod only.
import { z } from 'zod';

export const terminalRoleSchema = z.enum(['learner', 'observer']);

export const clientFrameSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('input'), d: z.string() }),
  z.object({ t: z.literal('resize'), cols: z.number().int(), rows: z.number().int() }),
  /** Bytes of output the browser's terminal has processed (from xterm's write callback). */
  z.object({ t: z.literal('ack'), bytes: z.number().int().nonnegative() }),
  z.object({ t: z.literal('ping') }),
]);
export type ClientFrame = z.infer<typeof clientFrameSchema>;

/** Why a session ended; sent in the `exit` frame so the browser can say what really happened. */
export const sessionEndReasonSchema = z.enum(['exited', 'idle', 'grace-expired', 'replaced', 'gateway-shutdown', 'home-full', 'pty-host-crashed']);
export type SessionEndReason = z.infer<typeof sessionEndReasonSchema>;

export const serverFrameSchema = z.discriminatedUnion('t', [
  z.object({
    t: z.literal('hello'),
    session: z.string(),
    role: terminalRoleSchema,
    reattached: z.boolean(),
    cols: z.number().int(),
    rows: z.number().int(),
  }),
  /** The serialized screen of a shell that already produced output; written before any newer output. */
  z.object({ t: z.literal('snapshot'), d: z.string() }),
  z.object({ t: z.literal('exit'), code: z.number().int(), signal: z.number().int().nullable(), reason: sessionEndReasonSchema }),
  z.object({ t: z.literal('error'), code: z.string(), message: z.string() }),
  z.object({ t: z.literal('pong') }),
  /** To the learner: how many read-only observers (an instructor) see this terminal now. */
  z.object({ t: z.literal('watchers'), count: z.number().int().nonnegative() }),
]);
export type ServerFrame = z.infer<typeof serverFrameSchema>;

export type FrameParseResult<F> = { ok: true; frame: F } | { ok: false; code: 'bad-frame'; message: string };

function parseJsonFrame<F>(schema: z.ZodType<F>, text: string): FrameParseResult<F> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, code: 'bad-frame', message: 'the frame is not valid JSON' };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    return { ok: false, code: 'bad-frame', message: `the frame is not a known message: ${where}${issue?.message ?? 'invalid'}` };
  }
  return { ok: true, frame: parsed.data };
}

/** Parses a client→server text frame; never throws. */
export function parseClientFrameText(text: string): FrameParseResult<ClientFrame> {
  return parseInputFrame(text) ?? parseJsonFrame(clientFrameSchema, text);
}

/**
 * Keystrokes, checked without zod: between two keys the gateway's caches go cold, and there zod's
 * parse of `{t:'input',d}` took ~40 µs of each echo (0.3 µs warm). The check is the schema's own
 * rule for this variant (an object, `t` "input", `d` a string, other keys dropped); anything else,
 * or anything odd, goes to the schema.
 */
function parseInputFrame(text: string): FrameParseResult<ClientFrame> | undefined {
  if (!text.startsWith('{"t":"input","d":')) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const { t, d } = json as { t?: unknown; d?: unknown };
  return t === 'input' && typeof d === 'string' ? { ok: true, frame: { t: 'input', d } } : undefined;
}

/** Parses a server→client text frame; never throws. */
export function parseServerFrameText(text: string): FrameParseResult<ServerFrame> {
  return parseJsonFrame(serverFrameSchema, text);
}

/** What the browser does after a close: try again by itself, wait for the learner, or start afresh on request. */
export type CloseAction = 'reconnect' | 'taken-over' | 'ended';

export interface CloseCodeMeaning {
  code: number;
  action: CloseAction;
  /** What happened, in the learner's words. */
  message: string;
}

/**
 * Every close code a terminal WebSocket can end with, from the gateway or from `ws` underneath it.
 * The gateway closes only with these names; the browser looks codes up here (closeMeaning).
 */
export const closeCodes = {
  /** The gateway is shutting down (a restart): its shells end with it unless they run under tmux. */
  goingAway: { code: 1001, action: 'reconnect', message: 'the terminal gateway went away (restarting?)' },
  /** RFC 6455 "Try Again Later": admission refused because the platform is full; the close reason says when. */
  tryAgainLater: { code: 1013, action: 'reconnect', message: 'the platform is full right now' },
  /** Sent by `ws` when a client frame exceeds the gateway's limit. */
  frameTooLarge: { code: 1009, action: 'reconnect', message: 'the browser sent a frame larger than the gateway accepts' },
  /** A newer learner connection (another tab or window) took the shell. */
  replaced: { code: 4000, action: 'taken-over', message: 'your terminal was opened in another tab or window' },
  /** The session ended: the shell exited, was idle too long, or was replaced for another learner or target. */
  sessionEnded: { code: 4001, action: 'ended', message: 'the terminal session ended' },
  /** An observer fell too far behind the output; it may join again. */
  observerTooSlow: { code: 4008, action: 'reconnect', message: 'this view fell too far behind the output' },
} as const satisfies Record<string, CloseCodeMeaning>;

export type CloseCodeName = keyof typeof closeCodes;

/**
 * The meaning of a close code; anything unknown (1006 abnormal closure, a dropped network) is worth a
 * retry. A "try again later" close carries its own reason (when to try), which is then the message.
 */
export function closeMeaning(code: number, reason = ''): CloseCodeMeaning {
  const known: CloseCodeMeaning | undefined = Object.values(closeCodes).find((c) => c.code === code);
  if (known) return known.code === closeCodes.tryAgainLater.code && reason ? { ...known, message: reason } : known;
  return { code, action: 'reconnect', message: code === 1006 ? 'the connection to the terminal gateway was lost' : `the connection closed (${code})` };
}

/** How the browser describes a session end it was told about in an `exit` frame. */
export function describeExit(frame: Extract<ServerFrame, { t: 'exit' }>): { action: CloseAction; message: string } {
  switch (frame.reason) {
    case 'exited':
      return {
        action: 'ended',
        message: frame.signal ? `the shell was ended by signal ${frame.signal}` : `the shell exited (code ${frame.code})`,
      };
    case 'idle':
      return { action: 'ended', message: 'the terminal was idle too long and was closed' };
    case 'grace-expired':
      return { action: 'ended', message: 'the terminal was closed after nobody was connected to it' };
    case 'replaced':
      return { action: 'ended', message: 'the environment changed, so this shell was closed' };
    case 'gateway-shutdown':
      return { action: 'reconnect', message: closeCodes.goingAway.message };
    case 'home-full':
      return { action: 'ended', message: 'your home directory went over its size limit, so the shell was closed' };
    case 'pty-host-crashed':
      // The shell is gone (not resumable); a new one can be started at once.
      return { action: 'ended', message: 'the terminal gateway lost this shell (an internal crash); start a new one' };
  }
}
