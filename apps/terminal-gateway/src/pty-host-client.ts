// The gateway's side of the pty host (pty-host-process.mjs): starts the child, has it fork each
// shell onto a pty the gateway opened, and hands sessions a SessionPty per shell (pty-master.ts).
// A fork of the gateway (~110 MB) stalled every open terminal's echo while many shells were opened;
// the small host forks instead, so the gateway's event loop only opens a pty and writes a frame.
// If the host dies, its shells are ended: their sessions end with `hostLost` and a new host is
// started for new shells.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync } from 'node:fs';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { encodeFrame, FrameReader, frameTypes as T } from './pty-host-wire';
import { closePtyPair, MasterPty, openPtyPair, type PtyPair } from './pty-master';
import type { SessionPty } from './session-pty';

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

/** One running host process and its channel. */
interface HostProcess {
  child: ChildProcess;
  channel: Socket;
  ready: Promise<void>;
  startedAt: number;
  ptys: Map<number, MasterPty>;
  spawning: Map<number, { resolve: (pty: MasterPty) => void; reject: (error: Error) => void; spec: PtySpawnSpec; pair: PtyPair }>;
  measuring: Map<number, { resolve: (bytes: number) => void; reject: (error: Error) => void }>;
}

export class PtyHost {
  private current: HostProcess | undefined;
  private nextId = 1;
  private closing = false;
  private restartTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: PtyHostOptions) {}

  /** Starts the host; resolves once it is ready to spawn. */
  start(): Promise<void> {
    return (this.current ??= this.launch()).ready;
  }

  /** The host's pid (health, tests). */
  get pid(): number | undefined {
    return this.current?.child.pid;
  }

  /**
   * Opens a pty here and has the host fork the shell onto it: the gateway's event loop only opens
   * the pair and writes a frame, and keeps the master end, so the shell's input and output never
   * pass through the host.
   */
  async spawn(spec: PtySpawnSpec): Promise<SessionPty> {
    if (this.closing) throw new Error('the pty host is shutting down');
    const host = (this.current ??= this.launch());
    await host.ready;
    const id = this.nextId++;
    const pair = openPtyPair(spec.cols, spec.rows);
    const { cols: _cols, rows: _rows, ...forHost } = spec;
    return new Promise<MasterPty>((resolve, reject) => {
      host.spawning.set(id, { resolve, reject, spec, pair });
      host.channel.write(encodeFrame(T.spawn, id, Buffer.from(JSON.stringify({ ...forHost, tty: pair.path }), 'utf8')));
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
        // The shell has the slave end open now; ours must close, or the master never sees it end.
        closeSync(waiting.pair.slave);
        const started = () => {
          if (!host.channel.destroyed) host.channel.write(encodeFrame(T.started, id));
        };
        const pty = new MasterPty(waiting.pair.master, payload.readUInt32BE(0), waiting.spec.cols, waiting.spec.rows, { firstOutput: started });
        host.ptys.set(id, pty);
        this.options.onForkSeconds?.(payload.readDoubleBE(4));
        waiting.resolve(pty);
        return;
      }
      case T.spawnFailed: {
        const waiting = host.spawning.get(id);
        host.spawning.delete(id);
        if (waiting) closePtyPair(waiting.pair);
        waiting?.reject(new Error(payload.toString('utf8')));
        return;
      }
      case T.measured:
      case T.measureFailed: {
        const waiting = host.measuring.get(id);
        host.measuring.delete(id);
        if (type === T.measured) waiting?.resolve(payload.readDoubleBE(0));
        else waiting?.reject(new Error(payload.toString('utf8')));
        return;
      }
      case T.exit: {
        const pty = host.ptys.get(id);
        host.ptys.delete(id);
        const signal = payload.readInt32BE(4);
        pty?.childExited({ exitCode: payload.readInt32BE(0), signal: signal === 0 ? undefined : signal });
        return;
      }
    }
  }

  private onHostExit(host: HostProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.current === host) this.current = undefined;
    for (const waiting of host.spawning.values()) {
      closePtyPair(waiting.pair);
      waiting.reject(new Error(`the pty host exited (code ${code}, signal ${signal})`));
    }
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
      // The host was their parent, the only process that could report their exit: they end with it
      // rather than linger unowned (their sessions say the host crashed).
      try {
        process.kill(-pty.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      pty.childExited({ exitCode: -1, hostLost: true });
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
