// The gateway's side of reading client frames: size limits and raw WebSocket data → a checked frame.
// The frames themselves are defined in terminal-protocol.ts, shared with the browser.
import { parseClientFrameText, type ClientFrame, type FrameParseResult } from './terminal-protocol';

/** Largest client frame accepted; ws closes the socket with 1009 above it. */
export const maxClientFrameBytes = 64 * 1024;

export const terminalSizeLimits = { minCols: 2, maxCols: 500, minRows: 1, maxRows: 200 } as const;

/** Parses one client frame; never throws. Binary frames are not part of the client protocol. */
export function parseClientFrame(data: Buffer | string, isBinary: boolean): FrameParseResult<ClientFrame> {
  if (isBinary) return { ok: false, code: 'bad-frame', message: 'binary frames are not accepted; send JSON text frames' };
  return parseClientFrameText(typeof data === 'string' ? data : data.toString('utf8'));
}

/** Returns a message naming the rule when a size is out of bounds; resizing to it is refused. */
export function checkTerminalSize(cols: number, rows: number): string | undefined {
  const l = terminalSizeLimits;
  if (cols < l.minCols || cols > l.maxCols || rows < l.minRows || rows > l.maxRows)
    return `terminal size ${cols}x${rows} is out of bounds (cols ${l.minCols}..${l.maxCols}, rows ${l.minRows}..${l.maxRows})`;
  return undefined;
}
