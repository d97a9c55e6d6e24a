// A pty whose master end the gateway holds while another process (the pty host) forks the shell
// onto its slave end. Every keystroke and every byte of output goes straight between the gateway
// and the kernel, as with node-pty in-process; only the fork happens elsewhere. Opening the pair
// is a few syscalls (~0.2 ms), never a fork.
//
// node-pty opens both ends without close-on-exec, and Node cannot set the flag, so a child the
// gateway starts inherits every open master end. Those children are the pty host, which closes
// what it inherited before it forks anything (pty-host-process.mjs), and fixed programs run to
// completion (the sandbox probes at start-up, `chown` of an old home); no learner code runs in any.
import { closeSync, write as fsWrite, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { StringDecoder } from 'node:string_decoder';
import { ReadStream } from 'node:tty';
import type { IDisposable } from 'node-pty';
import type { PtyExit, SessionPty } from './session-pty';

interface NativePty {
  open(cols: number, rows: number): { master: number; slave: number; pty: string };
  resize(fd: number, cols: number, rows: number): void;
}

let nativePty: NativePty | undefined;

/**
 * node-pty's compiled module: its `open` (openpty(3), both ends non-blocking) and `resize`
 * (TIOCSWINSZ) take plain file descriptors. node-pty 1.1 exports them only through its utils; a
 * node-pty that moves them fails pty-master.test.ts, not silently.
 */
function native(): NativePty {
  if (!nativePty) {
    const require = createRequire(import.meta.url);
    const utils = require('node-pty/lib/utils.js') as { loadNativeModule(name: string): { module: NativePty } };
    nativePty = utils.loadNativeModule('pty').module;
  }
  return nativePty;
}

export interface PtyPair {
  master: number;
  /** Held until the shell has the slave open: while no slave is open, reading the master fails (EIO). */
  slave: number;
  /** The slave's path (/dev/pts/N), which the forking process opens for the shell. */
  path: string;
}

export function openPtyPair(cols: number, rows: number): PtyPair {
  const { master, slave, pty } = native().open(cols, rows);
  return { master, slave, path: pty };
}

export function closePtyPair(pair: PtyPair): void {
  for (const fd of [pair.slave, pair.master])
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
}

/** How long after the shell exits its output may still be read before the exit is reported (as node-pty). */
const drainAfterExitMs = 200;

class Emitter<T> {
  private readonly listeners = new Set<(value: T) => void>();
  on(listener: (value: T) => void): IDisposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }
  fire(value: T): void {
    for (const listener of [...this.listeners]) listener(value);
  }
}

export interface MasterPtyHooks {
  /** The shell printed its first output (the pty host paces start-ups by it). */
  firstOutput(): void;
}

export class MasterPty implements SessionPty {
  private readonly stream: ReadStream;
  private readonly decoder = new StringDecoder('utf8');
  private readonly data = new Emitter<string>();
  private readonly exits = new Emitter<PtyExit>();
  /** Input the pty has not taken yet (its input buffer was full); written with fs.write and retried on EAGAIN. */
  private readonly writeQueue: { buffer: Buffer; offset: number }[] = [];
  private writeRetry: ReturnType<typeof setImmediate> | undefined;
  private reading = false;
  private paused = false;
  private sawOutput = false;
  private streamEnded = false;
  private childExit: PtyExit | undefined;
  private drainTimer: ReturnType<typeof setTimeout> | undefined;
  private reported = false;

  constructor(
    private readonly fd: number,
    readonly pid: number,
    public cols: number,
    public rows: number,
    private readonly hooks: MasterPtyHooks,
  ) {
    // tty.ReadStream starts paused (it reads once something listens): output waits in the kernel
    // until the session subscribes.
    this.stream = new ReadStream(fd);
    this.stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EAGAIN') return;
      // EIO: every slave end is closed, the shell and whatever it left behind are gone.
      this.onStreamEnd();
    });
    this.stream.on('close', () => this.onStreamEnd());
  }

  onData(listener: (data: string) => void): IDisposable {
    const subscription = this.data.on(listener);
    if (!this.reading) {
      this.reading = true;
      this.stream.on('data', (chunk: Buffer) => this.onChunk(chunk));
      if (this.paused) this.stream.pause();
    }
    return subscription;
  }

  onExit(listener: (exit: PtyExit) => void): IDisposable {
    return this.exits.on(listener);
  }

  write(data: string): void {
    if (this.streamEnded || data.length === 0) return;
    const buffer = Buffer.from(data, 'utf8');
    let offset = 0;
    if (this.writeQueue.length === 0) {
      // A keystroke goes into the pty now: the master end is non-blocking, so this never waits,
      // and it skips the thread-pool round trip of fs.write (node-pty's way), ~0.1 ms per key here.
      try {
        offset = writeSync(this.fd, buffer);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') return; // EIO: the pty is closing; its exit follows
      }
      if (offset >= buffer.byteLength) return;
    }
    // The pty's input buffer is full (a big paste, a program not reading): the rest waits its turn.
    this.writeQueue.push({ buffer, offset });
    if (this.writeQueue.length === 1 && !this.writeRetry) this.writeNext();
  }

  resize(cols: number, rows: number): void {
    this.cols = cols;
    this.rows = rows;
    if (this.streamEnded) return;
    try {
      native().resize(this.fd, cols, rows);
    } catch {
      // the pty is closing
    }
  }

  kill(signal = 'SIGHUP'): void {
    if (this.childExit) return;
    try {
      process.kill(this.pid, signal);
    } catch {
      // already gone
    }
  }

  pause(): void {
    this.paused = true;
    if (this.reading) this.stream.pause();
  }

  resume(): void {
    this.paused = false;
    if (this.reading) this.stream.resume();
  }

  queuedInput(): number {
    let n = 0;
    for (const task of this.writeQueue) n += task.buffer.byteLength - task.offset;
    return n;
  }

  /** The shell (the process the pty host forked) exited, or was lost with the host. */
  childExited(exit: PtyExit): void {
    if (this.childExit) return;
    this.childExit = exit;
    if (this.streamEnded || exit.hostLost) return this.report();
    // Paused or not, as node-pty: a session nobody watches must still learn that its shell ended.
    this.drainTimer = setTimeout(() => {
      // Something the shell started keeps the pty open (a background job that ignores SIGHUP):
      // node-pty stops reading then too.
      this.stream.destroy();
      this.onStreamEnd();
    }, drainAfterExitMs);
  }

  private onChunk(chunk: Buffer): void {
    if (!this.sawOutput) {
      this.sawOutput = true;
      this.hooks.firstOutput();
    }
    const text = this.decoder.write(chunk);
    if (text) this.data.fire(text);
  }

  private writeNext(): void {
    this.writeRetry = undefined;
    const task = this.writeQueue[0];
    if (!task || this.streamEnded) return;
    fsWrite(this.fd, task.buffer, task.offset, task.buffer.byteLength - task.offset, null, (error, written) => {
      if (error) {
        // The pty's input buffer is full: try again on the next turn.
        if (error.code === 'EAGAIN') this.writeRetry = setImmediate(() => this.writeNext());
        else this.writeQueue.length = 0; // EIO/EBADF: the pty is closing; its exit follows
        return;
      }
      task.offset += written;
      if (task.offset >= task.buffer.byteLength) this.writeQueue.shift();
      this.writeNext();
    });
  }

  private onStreamEnd(): void {
    if (this.streamEnded) {
      if (this.childExit) this.report();
      return;
    }
    this.streamEnded = true;
    this.writeQueue.length = 0;
    if (this.writeRetry) clearImmediate(this.writeRetry);
    const rest = this.decoder.end();
    if (rest) this.data.fire(rest);
    if (!this.stream.destroyed) this.stream.destroy();
    if (this.childExit) this.report();
  }

  private report(): void {
    if (this.reported || !this.childExit) return;
    this.reported = true;
    if (this.drainTimer) clearTimeout(this.drainTimer);
    if (!this.stream.destroyed) this.stream.destroy();
    this.streamEnded = true;
    this.exits.fire(this.childExit);
  }
}
