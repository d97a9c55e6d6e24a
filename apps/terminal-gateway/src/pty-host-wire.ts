// The gateway ⇄ pty host wire format (the host's side is pty-host-process.mjs, plain JS that
// repeats these numbers). Frames are `u32 length | u8 type | u32 id | payload`, big-endian, length
// counting type + id + payload, on a unix socketpair (the child's fd 3): output and input stay
// bytes (no JSON or base64 per chunk, as the fork IPC channel would need), and the socket pushes
// back like any stream.

export const frameTypes = {
  // gateway → host
  /** JSON {file, args, env, cwd, cols, rows} */
  spawn: 1,
  /** raw input bytes */
  input: 2,
  /** u16 cols, u16 rows */
  resize: 3,
  /** signal name, UTF-8 */
  kill: 4,
  pause: 5,
  resume: 6,
  /** u32 output bytes the gateway has taken (the host's output window, see below) */
  consumed: 7,
  /** a directory, UTF-8: `du` it (home-usage-watcher.ts) */
  measure: 8,
  // host → gateway
  ready: 100,
  /** u32 pid, f64 seconds the fork took in the host */
  spawned: 101,
  /** error message, UTF-8 */
  spawnFailed: 102,
  /** raw output bytes */
  output: 103,
  /** i32 exit code, i32 signal (0 = none) */
  exit: 104,
  /** f64 input bytes received in total, f64 input bytes node-pty still holds for the pty */
  inputStatus: 105,
  /** f64 bytes `du` counted */
  measured: 106,
  /** error message, UTF-8 */
  measureFailed: 107,
} as const;

/**
 * The host stops reading a pty once this much of its output is on the way to the gateway and not
 * yet taken. While a session has its pty paused, the gateway holds what still arrives (at most
 * this much) instead of passing it on, so a pause stops output at once, as when the gateway read
 * the pty itself; the window only bounds that memory and sets the throughput (32 KiB: ~8 MB/s,
 * 128 KiB: as fast as reading the pty in the gateway, throughput.bench.ts).
 */
export const outputWindowBytes = 128 * 1024;

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
