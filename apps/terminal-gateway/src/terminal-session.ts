// One terminal session: a pty, its headless mirror (for snapshots), and the WebSocket
// connections attached to it, with output batching and watermark flow control.
import { randomUUID } from 'node:crypto';
import xtermHeadless from '@xterm/headless';
import serializeAddon from '@xterm/addon-serialize';
import type { IDisposable } from 'node-pty';
import type { Logger } from 'pino';
import { WebSocket } from 'ws';
import type { GatewayMetrics } from './gateway-metrics';
import type { PtyExit, SessionPty } from './session-pty';
import { checkTerminalSize, parseClientFrame } from './terminal-frames';
import { closeCodes, type ClientFrame, type CloseCodeName, type ServerFrame, type SessionEndReason } from './terminal-protocol';
import type { TerminalRole } from './terminal-token';

const { Terminal } = xtermHeadless;
const { SerializeAddon } = serializeAddon;

/** Flow-control and batching numbers (xterm.js flow-control guide; VS Code uses the same watermarks). */
export const flowControl = {
  /** Pause the pty when a learner connection has more unacknowledged output bytes than this. */
  highWatermark: 100_000,
  /**
   * Resume once every learner connection is below this. Half the high mark, not the guide's 5 000:
   * when the pty host relayed output, a resume reached the pty through it and back, and a browser
   * drained to 5 KB sat idle for that round trip on every pause (throughput 0.5× the plain
   * flow-controlled page on a loaded 2-core host, 0.6-1.1× with 50 000). The gateway now reads the
   * pty itself; 50 000 stays, as fewer pauses per megabyte. Ctrl-C still waits behind at most 100 KB.
   */
  lowWatermark: 50_000,
  /** Observers never slow the learner down; one this far behind is dropped instead. */
  observerMaxLag: 1_000_000,
  /** Output is gathered this long into one frame. */
  batchMs: 5,
  /** ...or sent at once when it reaches this size. */
  maxBatchBytes: 32 * 1024,
  /** Output within this long after input is sent on the next tick (snappy echo). */
  echoWindowMs: 20,
  /** While input is paused, how often the pty's input queue is looked at. */
  inputDrainPollMs: 20,
} as const;

export const scrollbackLines = 1000;

export interface SessionOptions {
  environmentId: string;
  /** Identifies the target the pty was spawned from; a token naming another target gets a fresh shell. */
  targetKey: string;
  terminalName: string;
  learnerId: string;
  graceMs: number;
  idleMs: number;
  /** Input queued for the pty beyond this pauses reading the learner's connection. */
  inputQueueLimitBytes: number;
  logger: Logger;
  metrics: GatewayMetrics;
  onEnded: (session: TerminalSession) => void;
}

/** Per-connection state; `live` turns true once its snapshot (if any) has been sent. */
export class SessionConnection {
  readonly id = randomUUID().slice(0, 8);
  unacked = 0;
  peakUnacked = 0;
  live = false;
  /** Reading from this connection is paused because the pty has too much input queued. */
  inputPaused = false;
  readonly backlog: Buffer[] = [];

  readonly logger: Logger;

  constructor(
    readonly ws: WebSocket,
    readonly role: TerminalRole,
    logger: Logger,
  ) {
    this.logger = logger.child({ connection: this.id });
  }

  send(frame: ServerFrame): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(frame));
  }

  sendOutput(chunk: Buffer): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(chunk, { binary: true });
  }

  /** Closes only with a code of the shared protocol, so the browser knows what it means. */
  close(name: CloseCodeName, reason: string): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(closeCodes[name].code, reason);
  }
}

export interface SessionInfo {
  id: string;
  environmentId: string;
  terminalName: string;
  learnerId: string;
  pid: number;
  paused: boolean;
  cols: number;
  rows: number;
  /** Input bytes queued for the pty now, the most ever, and whether reading is paused for it. */
  input: { queued: number; peakQueued: number; paused: boolean };
  connections: { id: string; role: TerminalRole; unacked: number; peakUnacked: number; bufferedAmount: number }[];
}

export class TerminalSession {
  readonly id = randomUUID();
  readonly environmentId: string;
  readonly terminalName: string;
  readonly learnerId: string;
  readonly targetKey: string;
  readonly logger: Logger;
  private readonly connections = new Set<SessionConnection>();
  private readonly mirror: InstanceType<typeof Terminal>;
  private readonly serializer: InstanceType<typeof SerializeAddon>;
  private readonly ptyListeners: IDisposable[] = [];
  private batch: string[] = [];
  private batchBytes = 0;
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private flushImmediate: ReturnType<typeof setImmediate> | undefined;
  private mirrorPendingBytes = 0;
  private outputBytes = 0;
  private attachCount = 0;
  private paused = false;
  private lastInputAt = 0;
  private lastActivityAt = Date.now();
  private graceTimer: ReturnType<typeof setTimeout> | undefined;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  private killTimer: ReturnType<typeof setTimeout> | undefined;
  private inputDrainTimer: ReturnType<typeof setInterval> | undefined;
  private peakInputQueued = 0;
  private endReason: SessionEndReason | undefined;
  private ended = false;
  private readonly exited: Promise<void>;
  private resolveExited!: () => void;
  cols: number;
  rows: number;

  constructor(
    private readonly pty: SessionPty,
    private readonly options: SessionOptions,
  ) {
    this.environmentId = options.environmentId;
    this.terminalName = options.terminalName;
    this.learnerId = options.learnerId;
    this.targetKey = options.targetKey;
    this.cols = pty.cols;
    this.rows = pty.rows;
    this.logger = options.logger.child({ session: this.id, pid: pty.pid });
    this.exited = new Promise((resolve) => (this.resolveExited = resolve));
    this.mirror = new Terminal({ cols: this.cols, rows: this.rows, scrollback: scrollbackLines, allowProposedApi: true });
    this.serializer = new SerializeAddon();
    this.mirror.loadAddon(this.serializer as unknown as Parameters<typeof this.mirror.loadAddon>[0]);
    this.ptyListeners.push(this.pty.onData((data) => this.onPtyData(data)));
    this.ptyListeners.push(this.pty.onExit((exit) => this.onPtyExit(exit)));
    this.scheduleIdleCheck(options.idleMs);
    // Until somebody attaches the session is in its grace period.
    this.startGrace();
    this.updateFlow();
  }

  get pid(): number {
    return this.pty.pid;
  }

  get isEnded(): boolean {
    return this.ended || this.endReason !== undefined;
  }

  connectionCount(role?: TerminalRole): number {
    let n = 0;
    for (const c of this.connections) if (!role || c.role === role) n += 1;
    return n;
  }

  info(): SessionInfo {
    return {
      id: this.id,
      environmentId: this.environmentId,
      terminalName: this.terminalName,
      learnerId: this.learnerId,
      pid: this.pty.pid,
      paused: this.paused,
      cols: this.cols,
      rows: this.rows,
      input: { queued: this.pty.queuedInput(), peakQueued: this.peakInputQueued, paused: this.inputDrainTimer !== undefined },
      connections: [...this.connections].map((c) => ({
        id: c.id,
        role: c.role,
        unacked: c.unacked,
        peakUnacked: c.peakUnacked,
        bufferedAmount: c.ws.bufferedAmount,
      })),
    };
  }

  /** Attaches a WebSocket. A newer learner connection replaces the older one (a reload must never fail). */
  attach(ws: WebSocket, role: TerminalRole, logger: Logger): SessionConnection {
    const connection = new SessionConnection(ws, role, logger.child({ session: this.id }));
    if (role === 'learner') {
      for (const old of this.connections) {
        if (old.role !== 'learner') continue;
        this.connections.delete(old);
        old.logger.info('replaced by a newer learner connection');
        old.close('replaced', 'replaced by a newer connection');
      }
    }
    this.clearGrace();
    const reattached = role === 'learner' && this.attachCount > 0;
    if (role === 'learner') this.attachCount += 1;
    this.connections.add(connection);
    ws.on('message', (data: Buffer, isBinary: boolean) => this.onMessage(connection, data, isBinary));
    ws.on('close', () => this.detach(connection));
    ws.on('error', (error) => connection.logger.warn({ err: error.message }, 'websocket error'));

    connection.send({ t: 'hello', session: this.id, role, reattached, cols: this.cols, rows: this.rows });
    if (this.outputBytes === 0) {
      connection.live = true;
    } else {
      // Everything already emitted is in the mirror, so send it as a snapshot and only newer output as bytes:
      // push pending output to the others first, then wait for the mirror to parse what it was given.
      this.flush();
      this.mirror.write('', () => {
        if (!this.connections.has(connection)) return;
        connection.send({ t: 'snapshot', d: this.serializer.serialize({ scrollback: scrollbackLines }) });
        for (const chunk of connection.backlog.splice(0)) connection.sendOutput(chunk);
        connection.live = true;
      });
    }
    connection.logger.info({ role, reattached }, 'attached');
    this.updateFlow();
    // A learner is always told when someone watches: on their (re)attach and whenever an observer comes or goes.
    if (role === 'observer') this.announceWatchers();
    else if (this.connectionCount('observer') > 0) connection.send({ t: 'watchers', count: this.connectionCount('observer') });
    return connection;
  }

  private announceWatchers(): void {
    const count = this.connectionCount('observer');
    for (const c of this.connections) if (c.role === 'learner') c.send({ t: 'watchers', count });
  }

  /** Tells every connection something went wrong for the learner (an `error` frame). */
  notify(code: string, message: string): void {
    for (const c of this.connections) c.send({ t: 'error', code, message });
  }

  /** Ends the session: kills the pty; connections get `exit` and a close with the reason. */
  end(reason: SessionEndReason): void {
    if (this.ended || this.endReason) return;
    this.endReason = reason;
    this.logger.info({ reason }, 'ending session');
    // Let the pty drain: node-pty reports the exit only after its stream has read to the end.
    if (this.paused) {
      this.paused = false;
      this.pty.resume();
    }
    try {
      this.pty.kill('SIGHUP');
    } catch {
      // already gone
    }
    // A shell that ignores SIGHUP still goes.
    this.killTimer = setTimeout(() => {
      try {
        this.pty.kill('SIGKILL');
      } catch {
        // already gone
      }
    }, 2000);
    this.killTimer.unref();
  }

  /** Resolves when the pty has exited and everything is disposed. */
  whenEnded(): Promise<void> {
    return this.exited;
  }

  private onMessage(connection: SessionConnection, data: Buffer, isBinary: boolean): void {
    const parsed = parseClientFrame(data, isBinary);
    if (!parsed.ok) {
      connection.send({ t: 'error', code: parsed.code, message: parsed.message });
      return;
    }
    try {
      this.handleFrame(connection, parsed.frame);
    } catch (error) {
      // A frame must never take the session down.
      connection.logger.error({ err: (error as Error).message, frame: parsed.frame.t }, 'frame handling failed');
      connection.send({ t: 'error', code: 'internal', message: 'the gateway could not handle that frame' });
    }
  }

  private handleFrame(connection: SessionConnection, frame: ClientFrame): void {
    switch (frame.t) {
      case 'ping':
        if (connection.role === 'learner') this.lastActivityAt = Date.now();
        connection.send({ t: 'pong' });
        return;
      case 'ack':
        connection.unacked = Math.max(0, connection.unacked - frame.bytes);
        this.updateFlow();
        return;
      case 'input':
        // Observers have no input path: their keystrokes stop here.
        if (connection.role !== 'learner') {
          connection.send({ t: 'error', code: 'read-only', message: 'you are observing: this terminal is read-only' });
          return;
        }
        this.writeInput(connection, frame.d);
        return;
      case 'resize':
        // The learner's window decides the size; an observer's client sends its size on open too,
        // so that is dropped quietly rather than answered with an error on every connect.
        if (connection.role === 'learner') this.resize(connection, frame.cols, frame.rows);
        return;
    }
  }

  private writeInput(connection: SessionConnection, data: string): void {
    if (this.isEnded || data.length === 0) return;
    const now = Date.now();
    this.lastInputAt = now;
    this.lastActivityAt = now;
    // Written even while output is paused, so Ctrl-C always gets through.
    this.pty.write(data);
    this.options.metrics.bytesIn.inc(Buffer.byteLength(data, 'utf8'));
    const queued = this.pty.queuedInput();
    this.peakInputQueued = Math.max(this.peakInputQueued, queued);
    if (queued > this.options.inputQueueLimitBytes) this.pauseInput(connection, queued);
  }

  /**
   * The program is not reading its input (e.g. `sleep 30` under a 200 MB paste): stop reading
   * this connection, so TCP pushes back on the sender instead of the gateway's memory growing,
   * and look again until the pty has taken most of what is queued.
   */
  private pauseInput(connection: SessionConnection, queued: number): void {
    if (connection.inputPaused) return;
    connection.inputPaused = true;
    connection.ws.pause();
    this.options.metrics.inputPauses.inc();
    connection.logger.debug({ queued }, 'input paused: the pty is not reading');
    this.inputDrainTimer ??= setInterval(() => {
      if (!this.isEnded && this.pty.queuedInput() > this.options.inputQueueLimitBytes / 4) return;
      this.resumeInput();
    }, flowControl.inputDrainPollMs);
  }

  private resumeInput(): void {
    if (this.inputDrainTimer) clearInterval(this.inputDrainTimer);
    this.inputDrainTimer = undefined;
    for (const connection of this.connections) {
      if (!connection.inputPaused) continue;
      connection.inputPaused = false;
      connection.ws.resume();
    }
  }

  private resize(connection: SessionConnection, cols: number, rows: number): void {
    const problem = checkTerminalSize(cols, rows);
    if (problem) {
      connection.send({ t: 'error', code: 'bad-size', message: problem });
      return;
    }
    if (cols === this.cols && rows === this.rows) return;
    this.cols = cols;
    this.rows = rows;
    if (!this.isEnded) this.pty.resize(cols, rows);
    this.mirror.resize(cols, rows);
  }

  private onPtyData(data: string): void {
    const bytes = Buffer.byteLength(data, 'utf8');
    this.outputBytes += bytes;
    this.mirrorPendingBytes += bytes;
    this.batch.push(data);
    this.batchBytes += bytes;
    if (this.batchBytes >= flowControl.maxBatchBytes) this.flush();
    else if (Date.now() - this.lastInputAt < flowControl.echoWindowMs) {
      // Echo: the first output after a keystroke goes out now, before the mirror sees it; more
      // arriving in the same turn joins the next batch, sent on the next tick.
      if (this.batchBytes === bytes && !this.flushImmediate) this.flush();
      else this.flushImmediate ??= setImmediate(() => this.flush());
    } else this.flushTimer ??= setTimeout(() => this.flush(), flowControl.batchMs);
    this.mirror.write(data, () => {
      this.mirrorPendingBytes -= bytes;
      if (this.paused) this.updateFlow();
    });
    this.updateFlow();
  }

  private flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    if (this.flushImmediate) clearImmediate(this.flushImmediate);
    this.flushTimer = undefined;
    this.flushImmediate = undefined;
    if (this.batchBytes === 0) return;
    const chunk = Buffer.from(this.batch.join(''), 'utf8');
    this.batch = [];
    this.batchBytes = 0;
    for (const connection of this.connections) {
      if (connection.live) connection.sendOutput(chunk);
      else connection.backlog.push(chunk);
      connection.unacked += chunk.length;
      connection.peakUnacked = Math.max(connection.peakUnacked, connection.unacked);
      this.options.metrics.bytesOut.inc(chunk.length);
      if (connection.role === 'observer' && connection.unacked > flowControl.observerMaxLag) this.dropObserver(connection);
    }
    this.updateFlow();
  }

  private dropObserver(connection: SessionConnection): void {
    this.connections.delete(connection);
    this.options.metrics.observersDropped.inc();
    connection.logger.warn({ unacked: connection.unacked }, 'observer fell too far behind; dropping it');
    connection.close('observerTooSlow', 'observer fell too far behind');
    if (this.connections.size === 0) this.startGrace();
  }

  /**
   * Pauses the pty while the slowest learner connection (counting output still in the batch) or
   * the headless mirror is above the high watermark, or nobody is attached; resumes below the low one.
   */
  private updateFlow(): void {
    if (this.isEnded) return;
    let worstLearner = 0;
    for (const c of this.connections) if (c.role === 'learner') worstLearner = Math.max(worstLearner, c.unacked + this.batchBytes);
    const behind = Math.max(worstLearner, this.mirrorPendingBytes);
    if (!this.paused && (this.connections.size === 0 || behind > flowControl.highWatermark)) {
      this.paused = true;
      this.pty.pause();
      if (this.connections.size > 0) this.options.metrics.flowPauses.inc();
    } else if (this.paused && this.connections.size > 0 && behind < flowControl.lowWatermark) {
      this.paused = false;
      this.pty.resume();
    }
  }

  private detach(connection: SessionConnection): void {
    if (!this.connections.delete(connection)) return;
    if (connection.role === 'observer') this.announceWatchers();
    connection.logger.info({ unacked: connection.unacked }, 'detached');
    if (this.connections.size === 0) this.startGrace();
    this.updateFlow();
  }

  private startGrace(): void {
    if (this.isEnded) return;
    this.clearGrace();
    this.graceTimer = setTimeout(() => {
      this.logger.info({ graceMs: this.options.graceMs }, 'nobody re-attached within the grace period');
      this.end('grace-expired');
    }, this.options.graceMs);
  }

  private clearGrace(): void {
    if (this.graceTimer) clearTimeout(this.graceTimer);
    this.graceTimer = undefined;
  }

  // One timer per session, re-armed lazily: typing does not touch timers.
  private scheduleIdleCheck(delayMs: number): void {
    this.idleTimer = setTimeout(() => {
      const idleFor = Date.now() - this.lastActivityAt;
      if (idleFor >= this.options.idleMs) {
        const minutes = Math.round(this.options.idleMs / 60_000);
        for (const c of this.connections)
          c.send({ t: 'error', code: 'idle-timeout', message: `the terminal was idle for ${minutes} minutes and has been closed` });
        this.end('idle');
      } else this.scheduleIdleCheck(this.options.idleMs - idleFor);
    }, Math.max(delayMs, 10));
  }

  private onPtyExit({ exitCode, signal, hostLost }: PtyExit): void {
    if (this.ended) return;
    this.flush();
    // A shell lost with the pty host did not exit by itself; the learner is told so.
    const reason: SessionEndReason = this.endReason ?? (hostLost ? 'pty-host-crashed' : 'exited');
    this.endReason = reason;
    this.ended = true;
    this.logger.info({ exitCode, signal, reason }, 'pty exited');
    this.options.metrics.sessionsEnded.inc({ reason });
    const closeReason = {
      exited: 'the shell exited',
      idle: 'the terminal was idle too long',
      'grace-expired': 'nobody re-attached in time',
      replaced: 'the terminal was replaced',
      'gateway-shutdown': 'the terminal gateway is shutting down',
      'home-full': 'your home is over its size limit',
      'pty-host-crashed': 'the gateway lost the shell (its pty host crashed)',
    }[reason];
    const code: CloseCodeName = reason === 'gateway-shutdown' ? 'goingAway' : 'sessionEnded';
    for (const connection of this.connections) {
      connection.send({ t: 'exit', code: exitCode, signal: signal ? signal : null, reason });
      connection.close(code, closeReason);
    }
    this.connections.clear();
    this.dispose();
    this.options.onEnded(this);
    this.resolveExited();
  }

  private dispose(): void {
    for (const timer of [this.flushTimer, this.graceTimer, this.idleTimer, this.killTimer]) if (timer) clearTimeout(timer);
    if (this.inputDrainTimer) clearInterval(this.inputDrainTimer);
    if (this.flushImmediate) clearImmediate(this.flushImmediate);
    for (const listener of this.ptyListeners.splice(0)) listener.dispose();
    this.serializer.dispose();
    this.mirror.dispose();
    this.batch = [];
  }
}
