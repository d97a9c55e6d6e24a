// The gateway ⇄ pty host wire format (the host's side is pty-host-process.mjs, plain JS that
// repeats these numbers). Frames are `u32 length | u8 type | u32 id | payload`, big-endian, length
// counting type + id + payload, on a unix socketpair (the child's fd 3). Only spawns, and exits
// cross it: the gateway holds each pty's master end, so a shell's input and output never do.

export const frameTypes = {
  // gateway → host
  /** JSON {file, args, env, cwd, tty}: fork `file` onto the pty whose slave end is `tty` */
  spawn: 1,
  /** a directory, UTF-8: `du` it (home-usage-watcher.ts) */
  measure: 8,
  /** the shell printed its first output: it no longer counts as starting up */
  started: 9,
  // host → gateway
  ready: 100,
  /** u32 pid, f64 seconds the fork took in the host */
  spawned: 101,
  /** error message, UTF-8 */
  spawnFailed: 102,
  /** i32 exit code, i32 signal (0 = none) */
  exit: 104,
  /** f64 bytes `du` counted */
  measured: 106,
  /** error message, UTF-8 */
  measureFailed: 107,
} as const;

export function encodeFrame(type: number, id: number, payload?: Buffer): Buffer {
  const length = payload?.length ?? 0;
  const frame = Buffer.allocUnsafe(9 + length);
  frame.writeUInt32BE(5 + length, 0);
  frame.writeUInt8(type, 4);
  frame.writeUInt32BE(id, 5);
  if (payload) payload.copy(frame, 9);
  return frame;
}

/** Splits a byte stream into frames; keeps a partial frame until the rest arrives. */
export class FrameReader {
  private pending: Buffer = Buffer.alloc(0);

  constructor(private readonly onFrame: (type: number, id: number, payload: Buffer) => void) {}

  push(chunk: Buffer): void {
    let buffer = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    let offset = 0;
    while (buffer.length - offset >= 4) {
      const length = buffer.readUInt32BE(offset);
      if (buffer.length - offset - 4 < length) break;
      this.onFrame(buffer.readUInt8(offset + 4), buffer.readUInt32BE(offset + 5), buffer.subarray(offset + 9, offset + 4 + length));
      offset += 4 + length;
    }
    buffer = buffer.subarray(offset);
    // Copy a leftover so the (large) chunk it came from can be collected.
    this.pending = buffer.length > 0 ? Buffer.from(buffer) : Buffer.alloc(0);
  }
}
