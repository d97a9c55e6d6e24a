// The gateway's side of the pty host (pty-host-process.mjs): starts the child, spawns ptys in it
// and hands sessions a SessionPty per shell. node-pty forks synchronously, and a fork of the
// gateway (~110 MB) stalled every open terminal's echo while many shells were opened; the small
// host forks instead, so the gateway's event loop only writes a frame. If the host dies, its
// shells are gone: their sessions end with `hostLost` and a new host is started for new shells.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { StringDecoder } from 'node:string_decoder';
import { fileURLToPath } from 'node:url';
import type { IDisposable } from 'node-pty';
import type { Logger } from 'pino';
import { encodeFrame, FrameReader, frameTypes as T } from './pty-host-wire';
import type { PtyExit, SessionPty } from './session-pty';

export interface PtySpawnSpec {
  file: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  cols: number;
  rows: number;
}

export interface PtyHostOptions {
  logger: Logger;
  /** Seconds the host spent in each fork (a metric). */
  onForkSeconds?: (seconds: number) => void;
  /** The host's script; tests may point at another. */
  script?: string;
  /** Shells starting up at once (forked, nothing printed yet); more wait. Default: the CPU count. */
  maxStartingShells?: number;
}

const hostScript = fileURLToPath(new URL('./pty-host-process.mjs', import.meta.url));
const readyTimeoutMs = 10_000;
/** A host that dies this soon after starting is restarted only after this long again (no crash loop). */
const restartBackoffMs = 1000;

class Emitter<T> {
  private readonly listeners = new Set<(value: T) => void>();
  on(listener: (value: T) => void): IDisposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }
  get listening(): boolean {
    return this.listeners.size > 0;
  }
  fire(value: T): void {
    for (const listener of [...this.listeners]) listener(value);
  }
}

/** One running host process and its channel. */
interface HostProcess {
  child: ChildProcess;
  channel: Socket;
  ready: Promise<void>;
  startedAt: number;
  ptys: Map<number, HostedPty>;
  spawning: Map<number, { resolve: (pty: HostedPty) => void; reject: (error: Error) => void; spec: PtySpawnSpec }>;
  measuring: Map<number, { resolve: (bytes: number) => void; reject: (error: Error) => void }>;
}

class HostedPty implements SessionPty {
  private readonly decoder = new StringDecoder('utf8');
  private readonly data = new Emitter<string>();
  private readonly exits = new Emitter<PtyExit>();
  private sentInput = 0;
  private hostReceivedInput = 0;
  private hostQueuedInput = 0;
  private exited = false;
  private paused = false;
  /**
   * Output that arrived while paused, or before the session listened (its spawn and its start are
   * turns apart): held here, like a paused stream holds what it already read, and not given back to
   * the host's window, so the host stops reading the pty. A pause thus stops output at once.
   */
  private held: { text: string; bytes: number }[] = [];
  /** The exit, once held output has gone out. */
  private heldExit: PtyExit | undefined;
  private flushScheduled = false;

  constructor(
    private readonly send: (type: number, payload?: Buffer) => void,
    private readonly consumed: (bytes: number) => void,
    readonly pid: number,
    public cols: number,
    public rows: number,
  ) {}

  onData(listener: (data: string) => void): IDisposable {
    const subscription = this.data.on(listener);
    this.scheduleFlush();
    return subscription;
  }

  onExit(listener: (exit: PtyExit) => void): IDisposable {
    const subscription = this.exits.on(listener);
    this.scheduleFlush();
    return subscription;
  }

  write(data: string): void {
    if (this.exited) return;
    const bytes = Buffer.from(data, 'utf8');
    this.sentInput += bytes.length;
    this.send(T.input, bytes);
  }

  resize(cols: number, rows: number): void {
    this.cols = cols;
    this.rows = rows;
    if (this.exited) return;
    const payload = Buffer.allocUnsafe(4);
    payload.writeUInt16BE(cols, 0);
    payload.writeUInt16BE(rows, 2);
    this.send(T.resize, payload);
  }

  kill(signal = 'SIGHUP'): void {
    if (!this.exited) this.send(T.kill, Buffer.from(signal, 'utf8'));
  }

  pause(): void {
    this.paused = true;
    if (!this.exited) this.send(T.pause);
  }

  resume(): void {
    this.paused = false;
    if (!this.exited) this.send(T.resume);
    this.scheduleFlush();
  }

  /** Input still on its way to the host, plus what node-pty there has not written to the pty yet. */
  queuedInput(): number {
    return this.exited ? 0 : this.sentInput - this.hostReceivedInput + this.hostQueuedInput;
  }

  deliver(bytes: Buffer): void {
    const text = this.decoder.write(bytes);
    if (this.paused || !this.data.listening || this.held.length > 0) this.held.push({ text, bytes: bytes.length });
    else {
      this.consumed(bytes.length);
      if (text) this.data.fire(text);
    }
  }

  inputStatus(received: number, queued: number): void {
    this.hostReceivedInput = received;
    this.hostQueuedInput = queued;
  }

  exit(exit: PtyExit): void {
    if (this.exited) return;
    this.exited = true;
    const rest = this.decoder.end();
    if (rest) this.held.push({ text: rest, bytes: 0 });
    this.heldExit = exit;
    // A lost host's shells end now: nothing will resume them.
    if (exit.hostLost) this.paused = false;
    this.flush();
  }

  // Never from inside the session's own calls (pause/resume come from its flow control).
  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    queueMicrotask(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    if (!this.data.listening) return;
    while (this.held.length > 0 && (!this.paused || this.exited)) {
      const { text, bytes } = this.held.shift()!;
      if (bytes > 0 && !this.exited) this.consumed(bytes);
      if (text) this.data.fire(text);
    }
    if (this.held.length === 0 && this.heldExit && this.exits.listening) {
      const exit = this.heldExit;
      this.heldExit = undefined;
      this.exits.fire(exit);
    }
  }
}

export class PtyHost {
  private current: HostProcess | undefined;
  private nextId = 1;
  private closing = false;
  private restartTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly consumedPending = new Map<number, { host: HostProcess; bytes: number }>();
  private consumedFlush: ReturnType<typeof setImmediate> | undefined;

  constructor(private readonly options: PtyHostOptions) {}

  /** Starts the host; resolves once it is ready to spawn. */
  start(): Promise<void> {
    return (this.current ??= this.launch()).ready;
  }

  /** The host's pid (health, tests). */
  get pid(): number | undefined {
    return this.current?.child.pid;
  }

  /** Spawns a pty in the host; the gateway's event loop only writes a frame. */
  async spawn(spec: PtySpawnSpec): Promise<SessionPty> {
    if (this.closing) throw new Error('the pty host is shutting down');
    const host = (this.current ??= this.launch());
    await host.ready;
    const id = this.nextId++;
    return new Promise<HostedPty>((resolve, reject) => {
      host.spawning.set(id, { resolve, reject, spec });
      host.channel.write(encodeFrame(T.spawn, id, Buffer.from(JSON.stringify(spec), 'utf8')));
    });
  }

  /**
   * Bytes under `dir` (`du -sxP`), run by the host: a child process started from the gateway is a
   * fork of the gateway too, as costly as a pty's, and every local shell is measured at its start.
   */
  async measureDirectoryBytes(dir: string): Promise<number> {
    if (this.closing) throw new Error('the pty host is shutting down');
    const host = (this.current ??= this.launch());
    await host.ready;
    const id = this.nextId++;
    return new Promise<number>((resolve, reject) => {
      host.measuring.set(id, { resolve, reject });
      host.channel.write(encodeFrame(T.measure, id, Buffer.from(dir, 'utf8')));
    });
  }

  /** Stops the host (the gateway ends its sessions first); any shell left gets SIGHUP from it. */
  async close(): Promise<void> {
    this.closing = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const host = this.current;
    if (!host) return;
    const exited = new Promise<void>((resolve) => {
      if (host.child.exitCode !== null || host.child.signalCode !== null) resolve();
      else host.child.once('exit', () => resolve());
    });
    host.channel.end();
    const timer = setTimeout(() => host.child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  }

  private launch(): HostProcess {
    // A small heap, and only PATH (for `du`): the token secret never reaches the process that forks shells.
    const args = ['--max-old-space-size=64', this.options.script ?? hostScript];
    if (this.options.maxStartingShells) args.push(String(this.options.maxStartingShells));
    const child = spawn(process.execPath, args, {
      stdio: ['ignore', 'inherit', 'inherit', 'pipe'],
      // A session of its own, so (with the kernel's autogroup scheduling) a scheduling group of its
      // own beside the gateway's, like each shell's: it relays every shell's echo and must not share
      // one group's CPU with the gateway while hundreds of shells start. It exits when the channel
      // closes, so it does not need the gateway's process group to end with it.
      detached: true,
      // The cast only satisfies Next's stricter ProcessEnv typing (the portal type-checks this file too).
      env: (process.env.PATH ? { PATH: process.env.PATH } : {}) as unknown as NodeJS.ProcessEnv,
    });
    const channel = child.stdio[3] as Socket;
    let markReady!: () => void;
    let failReady!: (error: Error) => void;
    const ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      failReady = reject;
    });
    // Spawns wait on it; a failure surfaces through them, never as an unhandled rejection.
    ready.catch(() => {});
    const readyTimer = setTimeout(() => {
      failReady(new Error(`the pty host did not start within ${readyTimeoutMs / 1000} s`));
      child.kill('SIGKILL');
    }, readyTimeoutMs);
    const host: HostProcess = { child, channel, ready, startedAt: Date.now(), ptys: new Map(), spawning: new Map(), measuring: new Map() };
    const reader = new FrameReader((type, id, payload) => this.onFrame(host, type, id, payload, () => {
      clearTimeout(readyTimer);
      markReady();
    }));
    channel.on('data', (chunk: Buffer) => reader.push(chunk));
    channel.on('error', (error) => this.options.logger.warn({ err: error.message }, 'pty host channel error'));
    child.once('error', (error) => {
      // Not started at all (no exit follows): the next spawn launches a new one.
      failReady(error);
      if (child.pid === undefined && this.current === host) this.current = undefined;
    });
    child.once('exit', (code, signal) => {
      clearTimeout(readyTimer);
      failReady(new Error(`the pty host exited (code ${code}, signal ${signal})`));
      this.onHostExit(host, code, signal);
    });
    this.options.logger.info({ pid: child.pid }, 'pty host started');
    return host;
  }

  private onFrame(host: HostProcess, type: number, id: number, payload: Buffer, ready: () => void): void {
    switch (type) {
      case T.ready:
        ready();
        return;
      case T.spawned: {
        const waiting = host.spawning.get(id);
        if (!waiting) return;
        host.spawning.delete(id);
        const send = (frameType: number, body?: Buffer) => {
          if (!host.channel.destroyed) host.channel.write(encodeFrame(frameType, id, body));
        };
        const pty = new HostedPty(send, (bytes) => this.consumed(host, id, bytes), payload.readUInt32BE(0), waiting.spec.cols, waiting.spec.rows);
        host.ptys.set(id, pty);
        this.options.onForkSeconds?.(payload.readDoubleBE(4));
        waiting.resolve(pty);
        return;
      }
      case T.spawnFailed: {
        const waiting = host.spawning.get(id);
        host.spawning.delete(id);
        waiting?.reject(new Error(payload.toString('utf8')));
        return;
      }
      case T.output:
        host.ptys.get(id)?.deliver(payload);
        return;
      case T.measured:
      case T.measureFailed: {
        const waiting = host.measuring.get(id);
        host.measuring.delete(id);
        if (type === T.measured) waiting?.resolve(payload.readDoubleBE(0));
        else waiting?.reject(new Error(payload.toString('utf8')));
        return;
      }
      case T.inputStatus:
        host.ptys.get(id)?.inputStatus(payload.readDoubleBE(0), payload.readDoubleBE(8));
        return;
      case T.exit: {
        const pty = host.ptys.get(id);
        host.ptys.delete(id);
        const signal = payload.readInt32BE(4);
        pty?.exit({ exitCode: payload.readInt32BE(0), signal: signal === 0 ? undefined : signal });
        return;
      }
    }
  }

  /** Output taken: given back to the host's window once per turn of the event loop, for all ptys at once. */
  private consumed(host: HostProcess, id: number, bytes: number): void {
    const pending = this.consumedPending.get(id);
    if (pending) pending.bytes += bytes;
    else this.consumedPending.set(id, { host, bytes });
    this.consumedFlush ??= setImmediate(() => {
      this.consumedFlush = undefined;
      for (const [ptyId, { host: owner, bytes: n }] of this.consumedPending) {
        const payload = Buffer.allocUnsafe(4);
        payload.writeUInt32BE(n, 0);
        if (owner.ptys.has(ptyId) && !owner.channel.destroyed) owner.channel.write(encodeFrame(T.consumed, ptyId, payload));
      }
      this.consumedPending.clear();
    });
  }

  private onHostExit(host: HostProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.current === host) this.current = undefined;
    for (const waiting of host.spawning.values()) waiting.reject(new Error(`the pty host exited (code ${code}, signal ${signal})`));
    host.spawning.clear();
    for (const waiting of host.measuring.values()) waiting.reject(new Error('the pty host exited'));
    host.measuring.clear();
    if (this.closing && host.ptys.size === 0) {
      this.options.logger.info({ code, signal }, 'pty host stopped');
      return;
    }
    if (this.closing) this.options.logger.info({ code, signal, shells: host.ptys.size }, 'pty host stopped; it hung up the shells left');
    else this.options.logger.error({ code, signal, shells: host.ptys.size }, 'the pty host exited; its shells are lost');
    for (const pty of host.ptys.values()) {
      // Their ptys closed with the host, which hangs the shells up; one that ignores SIGHUP must not linger unowned.
      try {
        process.kill(-pty.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      pty.exit({ exitCode: -1, hostLost: true });
    }
    host.ptys.clear();
    if (this.closing) return;
    // Started again at once for new shells, unless it is dying right after each start.
    const delay = Date.now() - host.startedAt < restartBackoffMs ? restartBackoffMs : 0;
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (!this.closing) this.current ??= this.launch();
    }, delay);
    this.restartTimer.unref();
  }
}
