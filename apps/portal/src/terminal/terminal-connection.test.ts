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

function connect(gw: TestGateway, env: string, token?: string) {
  const sink = new RecordingSink();
  const states: { state: ConnectionState; detail?: string }[] = [];
  const connection = new TerminalConnection({
    ticket: async () => ({ url: gw.url(env), token: token ?? gw.token({ env }) }),
    sink,
    onState: (state, detail) => states.push({ state, detail }),
    WebSocketImpl: BrowserLikeWebSocket as unknown as typeof WebSocket,
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

  it('reports a refused ticket as final, with the gateway\'s reason', async () => {
    const c = connect(gw, 'env-conn-3', gw.token({ env: 'some-other-env' }));
    await until(() => c.last()?.state === 'refused', 'refused');
    expect(c.last()?.detail).toMatch(/environment/i);
    c.connection.stop();
  });
});
