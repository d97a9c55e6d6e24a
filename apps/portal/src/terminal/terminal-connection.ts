// Browser side of the gateway protocol (@istio-workshop/terminal-gateway/protocol): JSON control
// frames checked with the shared schemas, binary output frames, acknowledgements from xterm's write
// callback, and reconnecting by itself (with backoff) whenever the gateway went away.
import {
  closeMeaning,
  describeExit,
  parseServerFrameText,
  type ClientFrame,
  type CloseAction,
} from '@istio-workshop/terminal-gateway/protocol';

/**
 * connecting → open; then, when the connection drops: reconnecting (by itself, with backoff),
 * taken-over (another tab has the shell; the learner may take it back), ended (the shell is gone;
 * the learner may start a new one) or refused (the gateway said no; retrying would not help).
 */
export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'taken-over' | 'ended' | 'refused';

export interface TerminalTicket {
  /** ws(s)://gateway/terminals/<env> */
  url: string;
  token: string;
}

export interface TerminalSink {
  /** Writes output; must call `done` once the terminal has processed it (xterm's write callback). */
  write(data: Uint8Array | string, done: () => void): void;
  /** Clears the screen before a snapshot of the re-attached shell is written. */
  reset(): void;
  size(): { cols: number; rows: number };
}

/** `open` detail: whether the shell is the one from before (`reattached`) or a fresh one (`new`). */
export type OpenDetail = 'new' | 'reattached';

export interface TerminalConnectionOptions {
  /** Asks the portal for a fresh short-lived ticket (tokens expire in minutes). */
  ticket: () => Promise<TerminalTicket>;
  sink: TerminalSink;
  /** `detail` says why (learner's words), or for `open` which shell it is (OpenDetail). */
  onState: (state: ConnectionState, detail?: string) => void;
  /** How many read-only observers (an instructor) see this terminal; 0 when the last one leaves. */
  onWatchers?: (count: number) => void;
  /** Test hook; browsers use the global WebSocket. */
  WebSocketImpl?: typeof WebSocket;
  /** Test hook: the waits between attempts (the last one repeats). */
  backoffMs?: number[];
}

// The gateway caps frames at 64 KiB; stay well below it so a 1 MB paste arrives as many frames.
const maxInputChunk = 16 * 1024;
const ackEveryBytes = 8 * 1024;
/**
 * Less than ackAtOnceBytes left unacknowledged once caught up waits this long. The gateway resumes a
 * paused shell below 50 000 bytes, so such a remainder never holds a shell; at 25 ms, every typed
 * key cost an ack and a gateway wake-up right where the next key tends to land.
 */
const ackDelayMs = 1000;
/** Caught up with at least this much unacknowledged: acknowledged at once (see acknowledge). */
const ackAtOnceBytes = 1024;
const defaultBackoffMs = [250, 500, 1000, 2000, 4000, 5000];

const stateForAction: Record<CloseAction, ConnectionState> = { reconnect: 'reconnecting', 'taken-over': 'taken-over', ended: 'ended' };

export class TerminalConnection {
  private socket: WebSocket | undefined;
  private unacked = 0;
  /** Output frames handed to the terminal and not processed yet. */
  private pendingWrites = 0;
  private ackTimer: ReturnType<typeof setTimeout> | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private attempt = 0;
  /** Bumped by every (re)connect, so a late callback of an abandoned attempt does nothing. */
  private generation = 0;
  private stopped = false;
  /** The last `exit` frame's verdict: it explains the close that follows. */
  private exit: { action: CloseAction; message: string } | undefined;
  private lastSize = { cols: 0, rows: 0 };
  private readonly encoder = new TextEncoder();

  constructor(private readonly options: TerminalConnectionOptions) {}

  start(): void {
    void this.connect(this.generation);
  }

  stop(): void {
    this.stopped = true;
    this.generation += 1;
    if (this.ackTimer) clearTimeout(this.ackTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.socket?.close(1000, 'page closed');
    this.socket = undefined;
  }

  /**
   * Connects again now: the Reconnect button, "use here" (takes the shell back from another tab)
   * and "Start a new shell" (the gateway starts one when the old one has ended).
   */
  reconnect(): void {
    this.stopped = false;
    this.generation += 1;
    this.attempt = 0;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const old = this.socket;
    this.socket = undefined;
    old?.close(1000, 'reconnecting');
    void this.connect(this.generation);
  }

  get isOpen(): boolean {
    return this.socket?.readyState === 1;
  }

  /** Types text into the shell, chunked under the gateway's frame limit. */
  sendInput(text: string): void {
    for (let i = 0; i < text.length; i += maxInputChunk) this.send({ t: 'input', d: text.slice(i, i + maxInputChunk) });
  }

  resize(cols: number, rows: number): void {
    if (cols === this.lastSize.cols && rows === this.lastSize.rows) return;
    this.lastSize = { cols, rows };
    this.send({ t: 'resize', cols, rows });
  }

  private send(frame: ClientFrame): void {
    if (this.socket?.readyState === 1) this.socket.send(JSON.stringify(frame));
  }

  private async connect(generation: number): Promise<void> {
    if (this.stopped) return;
    // A retry already said 'reconnecting' and why; saying it again without the reason would hide it.
    if (this.attempt === 0) this.options.onState('connecting');
    let ticket: TerminalTicket;
    try {
      ticket = await this.options.ticket();
    } catch (error) {
      // fetch() rejects with a TypeError when nothing answers at all.
      const why = error instanceof TypeError ? 'the portal is not reachable (restarting?)' : `the portal did not give a terminal ticket (${(error as Error).message})`;
      if (generation === this.generation) this.retry(why);
      return;
    }
    const verdict = await this.preflight(ticket);
    if (generation !== this.generation || this.stopped) return;
    if (verdict?.final) {
      this.options.onState('refused', verdict.message);
      return;
    }
    if (verdict) {
      // A server-side problem (the gateway restarting, the toolbox pod starting): try again shortly.
      this.retry(verdict.message);
      return;
    }
    const Impl = this.options.WebSocketImpl ?? WebSocket;
    const socket = new Impl(`${ticket.url}?token=${encodeURIComponent(ticket.token)}`);
    socket.binaryType = 'arraybuffer';
    this.socket = socket;
    this.unacked = 0;
    this.exit = undefined;
    socket.onopen = () => {
      this.lastSize = { cols: 0, rows: 0 };
      const { cols, rows } = this.options.sink.size();
      this.resize(cols, rows);
    };
    socket.onmessage = (event) => {
      if (this.socket === socket) this.receive(event.data as ArrayBuffer | string);
    };
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      if (this.stopped) return;
      const verdict = this.exit ?? closeMeaning(event.code, event.reason);
      this.exit = undefined;
      if (verdict.action === 'reconnect') this.retry(verdict.message);
      else this.options.onState(stateForAction[verdict.action], verdict.message);
    };
  }

  /**
   * Browsers hide why an upgrade was refused, so ask the gateway first in plain HTTP.
   * 4xx is final (a bad or foreign ticket will not get better); 5xx is worth retrying.
   */
  private async preflight(ticket: TerminalTicket): Promise<{ final: boolean; message: string } | undefined> {
    let res: Response;
    try {
      res = await fetch(`${ticket.url.replace(/^ws/, 'http')}/preflight?token=${encodeURIComponent(ticket.token)}`);
    } catch {
      return { final: false, message: 'the terminal gateway is not reachable' };
    }
    if (res.ok) return undefined;
    const body = (await res.json().catch(() => undefined)) as { error?: { message?: string } } | undefined;
    const message = body?.error?.message ?? `the terminal gateway answered ${res.status}`;
    return { final: res.status < 500, message };
  }

  private retry(reason: string): void {
    if (this.stopped) return;
    const backoff = this.options.backoffMs ?? defaultBackoffMs;
    const base = backoff[Math.min(this.attempt, backoff.length - 1)] ?? 5000;
    // Jitter, so a restarted gateway is not met by every browser in the same millisecond.
    const delay = Math.round(base * (0.8 + Math.random() * 0.4));
    this.attempt += 1;
    this.options.onState('reconnecting', `${reason}; trying again in ${Math.max(1, Math.round(delay / 1000))} s`);
    const generation = this.generation;
    this.retryTimer = setTimeout(() => void this.connect(generation), delay);
  }

  private receive(data: ArrayBuffer | string): void {
    if (typeof data !== 'string') {
      const bytes = new Uint8Array(data);
      this.pendingWrites += 1;
      this.options.sink.write(bytes, () => {
        this.pendingWrites -= 1;
        this.acknowledge(bytes.byteLength);
      });
      return;
    }
    const parsed = parseServerFrameText(data);
    if (!parsed.ok) {
      this.writeNotice(`the gateway sent something this page does not understand (${parsed.message})`);
      return;
    }
    const frame = parsed.frame;
    switch (frame.t) {
      case 'hello':
        this.attempt = 0;
        this.options.onState('open', frame.reattached ? 'reattached' : 'new');
        break;
      case 'snapshot':
        this.options.sink.reset();
        this.options.sink.write(frame.d, () => undefined);
        break;
      case 'exit':
        this.exit = describeExit(frame);
        break;
      case 'error':
        this.writeNotice(frame.message);
        break;
      case 'pong':
        break;
      case 'watchers':
        this.options.onWatchers?.(frame.count);
        break;
    }
  }

  private writeNotice(message: string): void {
    this.options.sink.write(this.encoder.encode(`\r\n\x1b[31m[terminal] ${message}\x1b[0m\r\n`), () => undefined);
  }

  private acknowledge(bytes: number): void {
    this.unacked += bytes;
    // Caught up: say so now. The gateway may have paused the shell, and every millisecond it waits
    // for this ack is lost throughput. Not for an echo-sized write: a paused gateway is waiting for
    // far more than that, and sending it at once puts an ack (and the gateway's handling of it) in
    // the millisecond before the frame that draws the echo.
    if (this.unacked >= ackEveryBytes || (this.pendingWrites === 0 && this.unacked >= ackAtOnceBytes)) this.flushAck();
    else this.ackTimer ??= setTimeout(() => this.flushAck(), ackDelayMs);
  }

  private flushAck(): void {
    if (this.ackTimer) clearTimeout(this.ackTimer);
    this.ackTimer = undefined;
    if (this.unacked > 0) this.send({ t: 'ack', bytes: this.unacked });
    this.unacked = 0;
  }
}
