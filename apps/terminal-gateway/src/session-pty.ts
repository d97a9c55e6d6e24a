// What a terminal session needs of its pty: node-pty's IPty in the gateway itself (`inline`), or,
// by default, a pty whose master end the gateway holds while the pty host forked its shell
// (pty-master.ts, pty-host-client.ts).
import type { IDisposable, IPty } from 'node-pty';

export interface PtyExit {
  exitCode: number;
  signal?: number;
  /** The pty host died: the shell is gone, but it did not exit by itself. */
  hostLost?: boolean;
}

export interface SessionPty {
  readonly pid: number;
  readonly cols: number;
  readonly rows: number;
  onData(listener: (data: string) => void): IDisposable;
  onExit(listener: (exit: PtyExit) => void): IDisposable;
  write(data: string): void;
  resize(cols: number, rows: number): void;
  kill(signal?: string): void;
  /** Stops reading output (flow control); input is still written. */
  pause(): void;
  resume(): void;
  /** Input bytes written but not yet taken by the pty (input backpressure). */
  queuedInput(): number;
}

/** A node-pty pty spawned in the gateway's own process. */
export function inlinePty(pty: IPty): SessionPty {
  return {
    get pid() {
      return pty.pid;
    },
    get cols() {
      return pty.cols;
    },
    get rows() {
      return pty.rows;
    },
    onData: (listener) => pty.onData(listener),
    onExit: (listener) => pty.onExit(({ exitCode, signal }) => listener({ exitCode, signal })),
    write: (data) => pty.write(data),
    resize: (cols, rows) => pty.resize(cols, rows),
    kill: (signal) => pty.kill(signal),
    pause: () => pty.pause(),
    resume: () => pty.resume(),
    queuedInput: () => queuedPtyInput(pty),
  };
}

/**
 * Bytes node-pty still holds for the pty's input. node-pty (1.1) keeps them in its write stream's
 * queue and retries on EAGAIN, unbounded; it has no public accessor, so we read the queue. If a
 * future node-pty drops it, this returns 0 and input-backpressure.test.ts fails.
 */
export function queuedPtyInput(pty: IPty): number {
  const queue = (pty as unknown as { _writeStream?: { _writeQueue?: { buffer: Buffer; offset: number }[] } })._writeStream?._writeQueue;
  if (!Array.isArray(queue)) return 0;
  let n = 0;
  for (const task of queue) n += task.buffer.byteLength - task.offset;
  return n;
}
