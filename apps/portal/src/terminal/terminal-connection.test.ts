// The browser's terminal client against the real gateway (real ptys, real sockets): what a learner
// sees when a shell starts, re-attaches, is refused, or receives a 1 MB paste.
import { startTestGateway, testOrigin, type TestGateway } from '@istio-workshop/terminal-gateway/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket as WsWebSocket } from 'ws';
import { TerminalConnection, type ConnectionState, type TerminalSink } from './terminal-connection';

// Browsers always send Origin; the `ws` client needs to be told.
class BrowserLikeWebSocket extends WsWebSocket {
  constructor(url: string) {
    super(url, { origin: testOrigin });
  }
}

class RecordingSink implements TerminalSink {
  text = '';
  resets = 0;
  acked = 0;
  private readonly decoder = new TextDecoder();
  write(data: Uint8Array | string, done: () => void) {
    this.text += typeof data === 'string' ? data : this.decoder.decode(data, { stream: true });
    setTimeout(done, 0); // like xterm: processed a little later
  }
  reset() {
    this.resets += 1;
    this.text = '';
  }
  size() {
    return { cols: 120, rows: 30 };
  }
}

async function until(predicate: () => boolean, what: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function connect(gw: TestGateway | (() => TestGateway), env: string, token?: string) {
  const sink = new RecordingSink();
  const states: { state: ConnectionState; detail?: string }[] = [];
  const current = typeof gw === 'function' ? gw : () => gw;
  const connection = new TerminalConnection({
    ticket: async () => ({ url: current().url(env), token: token ?? current().token({ env }) }),
    sink,
    onState: (state, detail) => states.push({ state, detail }),
    WebSocketImpl: BrowserLikeWebSocket as unknown as typeof WebSocket,
    backoffMs: [100, 200],
  });
  connection.start();
  return { connection, sink, states, last: () => states.at(-1) };
}

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({ GATEWAY_GRACE_SECONDS: '30' });
});
afterAll(async () => {
  await gw?.stop();
});

describe('TerminalConnection against the gateway', () => {
  it('opens a shell, runs input and re-attaches to the same shell with a snapshot', async () => {
    const first = connect(gw, 'env-conn-1');
    await until(() => first.last()?.state === 'open', 'open');
    first.connection.sendInput('export MARK=$((20+22)); echo "mark-$MARK"\r');
    await until(() => first.sink.text.includes('mark-42'), 'echo');
    first.connection.stop();

    const second = connect(gw, 'env-conn-1');
    await until(() => second.states.some((s) => s.state === 'open' && s.detail === 'reattached'), 'reattached');
    await until(() => second.sink.text.includes('mark-42'), 'snapshot with earlier output');
    second.connection.sendInput('echo "again-$MARK"\r');
    await until(() => second.sink.text.includes('again-42'), 'same shell');
    second.connection.stop();
  });

  it('delivers a 1 MB paste in frames under the gateway limit', async () => {
    const c = connect(gw, 'env-conn-2');
    await until(() => c.last()?.state === 'open', 'open');
    // Paste only once echo is off (a fixed wait lost the race on a busy machine: the echoed x's then glued onto wc's count).
    c.connection.sendInput('stty -echo; echo "ECHO-OFF-$((1+1))"; wc -c\r');
    await until(() => c.sink.text.includes('ECHO-OFF-2'), 'echo off');
    const paste = 'x'.repeat(1024 * 1024);
    // A 1 MB line exceeds the tty's canonical buffer; send it as lines like a multi-line paste.
    c.connection.sendInput(`${paste.match(/.{1,1000}/g)!.join('\r')}\r\x04`);
    await until(() => /\b1\d{6}\b/.test(c.sink.text), 'wc output', 20_000);
    const count = Number(/\b(1\d{6})\b/.exec(c.sink.text)?.[1]);
    expect(count).toBe(1024 * 1024 + 1049); // the bytes plus one newline per 1000-char line
    c.connection.stop();
  });

  it('acknowledges a large write at once and an echo-sized remainder only after a second', async () => {
    const acks: { at: number; bytes: number }[] = [];
    class AckRecordingWebSocket extends BrowserLikeWebSocket {
      override send(data: string) {
        const frame = JSON.parse(data) as { t: string; bytes?: number };
        if (frame.t === 'ack') acks.push({ at: Date.now(), bytes: frame.bytes ?? 0 });
        super.send(data);
      }
    }
    const sink = new RecordingSink();
    const states: ConnectionState[] = [];
    const connection = new TerminalConnection({
      ticket: async () => ({ url: gw.url('env-conn-ack'), token: gw.token({ env: 'env-conn-ack' }) }),
      sink,
      onState: (state) => states.push(state),
      WebSocketImpl: AckRecordingWebSocket as unknown as typeof WebSocket,
    });
    connection.start();
    try {
      await until(() => states.at(-1) === 'open', 'open');
      // Let the prompt's own remainder go out first.
      await until(() => acks.length > 0, 'the prompt acknowledged', 3000);
      connection.sendInput('head -c 30000 /dev/zero | tr "\\0" y; echo; echo "BIG-$((2*3))"\r');
      await until(() => sink.text.includes('BIG-6'), 'large output');
      const seen = Date.now();
      // All of it but the last frame's tail: how the pty cut the output decides whether that tail
      // (the prompt, maybe some y's) is under 1 KB, and then it waits its second like any echo.
      await until(() => acks.reduce((n, a) => n + a.bytes, 0) >= 30_000 - 1024, 'large output acknowledged', 500);
      expect(acks.at(-1)!.at - seen).toBeLessThan(500);

      await new Promise((r) => setTimeout(r, 1500)); // whatever remainder the large output left
      const before = acks.length;
      connection.sendInput('x');
      await until(() => sink.text.endsWith('x'), 'echo');
      const echoed = Date.now();
      await new Promise((r) => setTimeout(r, 300));
      expect(acks.length).toBe(before); // no ack between typed keys
      await until(() => acks.length > before, 'the echo acknowledged', 3000);
      expect(acks.at(-1)!.at - echoed).toBeGreaterThanOrEqual(900);
    } finally {
      connection.stop();
    }
  });

  it('reports a refused ticket as final, with the gateway\'s reason', async () => {
    const c = connect(gw, 'env-conn-3', gw.token({ env: 'some-other-env' }));
    await until(() => c.last()?.state === 'refused', 'refused');
    expect(c.last()?.detail).toMatch(/environment/i);
    c.connection.stop();
  });

  it('says the shell exited with its code, and starts a new shell on request', async () => {
    const c = connect(gw, 'env-conn-4');
    await until(() => c.last()?.state === 'open', 'open');
    c.connection.sendInput('exit 3\r');
    await until(() => c.last()?.state === 'ended', 'ended');
    expect(c.last()?.detail).toBe('the shell exited (code 3)');
    c.connection.reconnect();
    await until(() => c.last()?.state === 'open', 'a new shell');
    expect(c.last()?.detail).toBe('new');
    c.connection.stop();
  });

  it('tells the first tab that a second took the shell, and takes it back on "use here"', async () => {
    const first = connect(gw, 'env-conn-5');
    await until(() => first.last()?.state === 'open', 'first open');
    const second = connect(gw, 'env-conn-5');
    await until(() => first.last()?.state === 'taken-over', 'first taken over');
    expect(first.last()?.detail).toMatch(/another tab/);
    await until(() => second.last()?.state === 'open', 'second open');
    // No tug of war: the first tab waits for the learner.
    await new Promise((r) => setTimeout(r, 500));
    expect(first.last()?.state).toBe('taken-over');
    first.connection.reconnect();
    await until(() => first.last()?.state === 'open' && second.last()?.state === 'taken-over', 'taken back');
    expect(first.last()?.detail).toBe('reattached');
    first.connection.stop();
    second.connection.stop();
  });

  it('comes back by itself after the gateway restarts, saying the gateway went away', async () => {
    let current = await startTestGateway();
    const port = current.port;
    const c = connect(() => current, 'env-conn-6');
    try {
      await until(() => c.last()?.state === 'open', 'open');
      await current.stop();
      await until(() => c.last()?.state === 'reconnecting' && c.last()?.detail !== undefined, 'reconnecting');
      expect(c.last()?.detail).toMatch(/gateway (went away|is not reachable)/);
      current = await startTestGateway({ GATEWAY_PORT: String(port) });
      await until(() => c.last()?.state === 'open', 'open again');
      // The local shell ended with the old gateway: this is a new one, and nothing claimed it exited.
      expect(c.last()?.detail).toBe('new');
      expect(c.states.map((s) => s.state)).not.toContain('ended');
      expect(c.states.find((s) => s.state === 'reconnecting' && s.detail)?.detail).toMatch(/gateway went away/);
    } finally {
      c.connection.stop();
      await current.stop();
    }
  });
});
