// Browser side of the gateway protocol (apps/terminal-gateway README): JSON control frames,
// binary output frames, acknowledgements from xterm's write callback, and re-attach after a drop.

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'ended' | 'refused';

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

export interface TerminalConnectionOptions {
  /** Asks the portal for a fresh short-lived ticket (tokens expire in minutes). */
  ticket: () => Promise<TerminalTicket>;
  sink: TerminalSink;
  onState: (state: ConnectionState, detail?: string) => void;
  /** Test hook; browsers use the global WebSocket. */
  WebSocketImpl?: typeof WebSocket;
}

// The gateway caps frames at 64 KiB; stay well below it so a 1 MB paste arrives as many frames.
const maxInputChunk = 16 * 1024;
const ackEveryBytes = 8 * 1024;
const ackDelayMs = 25;
const backoffMs = [250, 500, 1000, 2000, 4000];
// Close codes after which re-connecting would only repeat the problem.
const finalCloseCodes = new Set([4000 /* replaced by a newer tab */, 4001, 4003, 4401, 4403, 4429]);

export class TerminalConnection {
  private socket: WebSocket | undefined;
  private unacked = 0;
  private ackTimer: ReturnType<typeof setTimeout> | undefined;
  private attempt = 0;
  private stopped = false;
  private lastSize = { cols: 0, rows: 0 };
  private readonly encoder = new TextEncoder();

  constructor(private readonly options: TerminalConnectionOptions) {}

  start(): void {
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.ackTimer) clearTimeout(this.ackTimer);
    this.socket?.close(1000, 'page closed');
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

  private send(frame: object): void {
    if (this.socket?.readyState === 1) this.socket.send(JSON.stringify(frame));
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    this.options.onState(this.attempt === 0 ? 'connecting' : 'reconnecting');
    let ticket: TerminalTicket;
    try {
      ticket = await this.options.ticket();
    } catch (error) {
      this.retry(`could not get a terminal ticket: ${(error as Error).message}`);
      return;
    }
    const verdict = await this.preflight(ticket);
    if (verdict?.final) {
      this.options.onState('refused', verdict.message);
      return;
    }
    if (verdict) {
      // A server-side problem (e.g. the toolbox pod restarting): say so and try again shortly.
      this.retry(verdict.message);
      return;
    }
    const Impl = this.options.WebSocketImpl ?? WebSocket;
    const socket = new Impl(`${ticket.url}?token=${encodeURIComponent(ticket.token)}`);
    socket.binaryType = 'arraybuffer';
    this.socket = socket;
    this.unacked = 0;
    socket.onopen = () => {
      this.attempt = 0;
      this.lastSize = { cols: 0, rows: 0 };
      const { cols, rows } = this.options.sink.size();
      this.resize(cols, rows);
    };
    socket.onmessage = (event) => this.receive(event.data as ArrayBuffer | string);
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      if (this.stopped) return;
      if (finalCloseCodes.has(event.code)) {
        this.options.onState('ended', event.reason || `closed (${event.code})`);
        return;
      }
      this.retry(event.reason || 'connection lost');
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
    const delay = backoffMs[Math.min(this.attempt, backoffMs.length - 1)] ?? 4000;
    this.attempt += 1;
    this.options.onState('reconnecting', reason);
    setTimeout(() => void this.connect(), delay);
  }

  private receive(data: ArrayBuffer | string): void {
    if (typeof data !== 'string') {
      const bytes = new Uint8Array(data);
      this.options.sink.write(bytes, () => this.acknowledge(bytes.byteLength));
      return;
    }
    let frame: { t?: string; d?: string; code?: unknown; message?: string; reattached?: boolean };
    try {
      frame = JSON.parse(data) as typeof frame;
    } catch {
      return;
    }
    switch (frame.t) {
      case 'hello':
        this.options.onState('open', frame.reattached ? 'reattached' : 'new');
        break;
      case 'snapshot':
        this.options.sink.reset();
        this.options.sink.write(frame.d ?? '', () => undefined);
        break;
      case 'exit':
        this.stopped = true;
        this.options.onState('ended', `the shell exited (code ${String(frame.code)})`);
        break;
      case 'error':
        this.options.sink.write(this.encoder.encode(`\r\n\x1b[31m[terminal] ${frame.message ?? 'error'}\x1b[0m\r\n`), () => undefined);
        break;
      default:
        break;
    }
  }

  private acknowledge(bytes: number): void {
    this.unacked += bytes;
    if (this.unacked >= ackEveryBytes) this.flushAck();
    else this.ackTimer ??= setTimeout(() => this.flushAck(), ackDelayMs);
  }

  private flushAck(): void {
    if (this.ackTimer) clearTimeout(this.ackTimer);
    this.ackTimer = undefined;
    if (this.unacked > 0) this.send({ t: 'ack', bytes: this.unacked });
    this.unacked = 0;
  }
}
