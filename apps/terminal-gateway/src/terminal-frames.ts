// The WebSocket protocol: client→server control frames (validated) and server→client frames.
// Output travels as binary frames; everything else is small JSON text frames.
import { z } from 'zod';
import type { TerminalRole } from './terminal-token';

/** Largest client frame accepted; ws closes the socket with 1009 above it. */
export const maxClientFrameBytes = 64 * 1024;

export const terminalSizeLimits = { minCols: 2, maxCols: 500, minRows: 1, maxRows: 200 } as const;

export const clientFrameSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('input'), d: z.string() }),
  z.object({ t: z.literal('resize'), cols: z.number().int(), rows: z.number().int() }),
  /** Bytes of output the browser's terminal has processed (from xterm's write callback). */
  z.object({ t: z.literal('ack'), bytes: z.number().int().nonnegative() }),
  z.object({ t: z.literal('ping') }),
]);
export type ClientFrame = z.infer<typeof clientFrameSchema>;

export type ServerFrame =
  | { t: 'hello'; session: string; role: TerminalRole; reattached: boolean; cols: number; rows: number }
  | { t: 'snapshot'; d: string }
  | { t: 'exit'; code: number; signal: number | null }
  | { t: 'error'; code: string; message: string }
  | { t: 'pong' };

export type FrameParseResult = { ok: true; frame: ClientFrame } | { ok: false; code: 'bad-frame'; message: string };

/** Parses one client frame; never throws. Binary frames are not part of the client protocol. */
export function parseClientFrame(data: Buffer | string, isBinary: boolean): FrameParseResult {
  if (isBinary) return { ok: false, code: 'bad-frame', message: 'binary frames are not accepted; send JSON text frames' };
  let json: unknown;
  try {
    json = JSON.parse(typeof data === 'string' ? data : data.toString('utf8'));
  } catch {
    return { ok: false, code: 'bad-frame', message: 'the frame is not valid JSON' };
  }
  const parsed = clientFrameSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    return { ok: false, code: 'bad-frame', message: `the frame is not a known message: ${where}${issue?.message ?? 'invalid'}` };
  }
  return { ok: true, frame: parsed.data };
}

/** Returns a message naming the rule when a size is out of bounds; resizing to it is refused. */
export function checkTerminalSize(cols: number, rows: number): string | undefined {
  const l = terminalSizeLimits;
  if (cols < l.minCols || cols > l.maxCols || rows < l.minRows || rows > l.maxRows)
    return `terminal size ${cols}x${rows} is out of bounds (cols ${l.minCols}..${l.maxCols}, rows ${l.minRows}..${l.maxRows})`;
  return undefined;
}
