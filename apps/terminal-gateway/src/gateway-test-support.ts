// Test support (not shipped in index.ts): a gateway on 127.0.0.1:0 and a real `ws` client that
// speaks the terminal protocol, acknowledges output like the browser does, and waits for text.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { WebSocket } from 'ws';
import { loadGatewayConfig, type GatewayConfig } from './gateway-config';
import { createGateway, type Gateway, type GatewayOptions } from './gateway-server';
import { parseServerFrameText, type ServerFrame } from './terminal-protocol';
import { mintTerminalToken, type TerminalTokenClaims } from './terminal-token';

export const testSecret = 'test-secret-0123456789-abcdefghijklmnop';
export const testOrigin = 'http://127.0.0.1:3000';

export interface TestGateway {
  gateway: Gateway;
  config: GatewayConfig;
  port: number;
  homesDir: string;
  url(environmentId: string, token?: string, terminal?: string): string;
  token(claims: Partial<TerminalTokenClaims> & { env: string }, ttlSeconds?: number, nowMs?: number): string;
  metric(name: string, labels?: Record<string, string>): Promise<number>;
  stop(): Promise<void>;
}

/** Pass `logLines` to collect the gateway's JSON log lines. */
export async function startTestGateway(
  env: Record<string, string> = {},
  options: GatewayOptions = {},
  logLines?: string[],
): Promise<TestGateway> {
  const homesDir = mkdtempSync(join(tmpdir(), 'gw-homes-'));
  const config = loadGatewayConfig({
    WORKSHOP_TOKEN_SECRET: testSecret,
    GATEWAY_PORT: '0',
    GATEWAY_HOMES_DIR: homesDir,
    ...env,
  });
  const logger = logLines
    ? pino({ level: 'debug' }, { write: (line: string) => void logLines.push(line) })
    : pino({ level: process.env.GATEWAY_TEST_LOG_LEVEL ?? 'silent' });
  const gateway = createGateway(config, logger, { localShell: ['bash', '--norc', '--noprofile'], ...options });
  const { port } = await gateway.listen();
  const base = `ws://127.0.0.1:${port}`;
  return {
    gateway,
    config,
    port,
    homesDir,
    url(environmentId, token, terminal) {
      const params = new URLSearchParams();
      if (token !== undefined) params.set('token', token);
      if (terminal !== undefined) params.set('terminal', terminal);
      const query = params.toString();
      return `${base}/terminals/${encodeURIComponent(environmentId)}${query ? `?${query}` : ''}`;
    },
    token(claims, ttlSeconds = 120, nowMs) {
      // One learner per environment unless the test says otherwise, like the portal assigns them.
      const sub = claims.sub ?? `learner-${claims.env}`;
      const full: TerminalTokenClaims = { v: 1, sub, role: 'learner', target: { kind: 'local', home: sub }, ...claims };
      return mintTerminalToken(testSecret, full, ttlSeconds, nowMs);
    },
    async metric(name, labels = {}) {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      const labelText = Object.entries(labels)
        .map(([k, v]) => `${k}="${v}"`)
        .join(',');
      const line = text.split('\n').find((l) => l.startsWith(labelText ? `${name}{${labelText}}` : `${name} `));
      return line ? Number(line.split(' ').pop()) : 0;
    },
    async stop() {
      await gateway.close();
      rmSync(homesDir, { recursive: true, force: true });
    },
  };
}

/** Runs one command line in the client's shell and returns what it printed (between two markers). */
export async function runInShell(client: TestTerminalClient, command: string, timeoutMs = 10_000): Promise<string> {
  const id = Math.random().toString(36).slice(2, 8);
  client.input(`echo "<${id}"; ${command}; echo "${id}>"\r`);
  const match = await client.waitForOutput(new RegExp(`[\\r\\n]<${id}\\r\\n([\\s\\S]*?)${id}>`), timeoutMs);
  return match[1] ?? '';
}

/** Polls `predicate` (for state outside the socket, e.g. the gateway's sessions). */
/** Whether a process id is still alive (signal 0 only checks). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function eventually(predicate: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export class UpgradeRefusedError extends Error {
  constructor(
    readonly status: number,
    readonly body: { error?: { code?: string; message?: string } },
  ) {
    super(`upgrade refused with ${status}: ${JSON.stringify(body)}`);
  }
}

export interface ClientOptions {
  origin?: string | null;
  /** Acknowledge output as it arrives (a prompt browser); off = a stalled browser. */
  autoAck?: boolean;
}

export class TestTerminalClient {
  readonly controls: ServerFrame[] = [];
  output = '';
  outputBytes = 0;
  autoAck: boolean;
  closeInfo: { code: number; reason: string } | undefined;
  private unackedBytes = 0;
  private readonly decoder = new TextDecoder();
  private readonly waiters = new Set<() => void>();
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(
    readonly ws: WebSocket,
    options: ClientOptions,
  ) {
    this.autoAck = options.autoAck ?? true;
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        this.closeInfo = { code, reason: reason.toString() };
        this.notify();
        resolve(this.closeInfo);
      });
    });
    ws.on('message', (data: Buffer, isBinary) => {
      if (isBinary) {
        this.output += this.decoder.decode(data, { stream: true });
        this.outputBytes += data.length;
        this.unackedBytes += data.length;
        if (this.autoAck) this.ack();
      } else {
        // Every frame the gateway sends must pass the schema the browser checks it with.
        const parsed = parseServerFrameText(data.toString('utf8'));
        if (!parsed.ok) throw new Error(`the gateway sent a frame outside the protocol: ${parsed.message}`);
        this.controls.push(parsed.frame);
      }
      this.notify();
    });
  }

  static connect(url: string, options: ClientOptions = {}): Promise<TestTerminalClient> {
    const origin = options.origin === undefined ? testOrigin : options.origin;
    const ws = new WebSocket(url, origin === null ? {} : { origin });
    const client = new TestTerminalClient(ws, options);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(client));
      ws.once('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
        res.on('end', () => {
          let parsed: UpgradeRefusedError['body'] = {};
          try {
            parsed = JSON.parse(body) as UpgradeRefusedError['body'];
          } catch {
            // keep empty
          }
          reject(new UpgradeRefusedError(res.statusCode ?? 0, parsed));
        });
      });
      ws.once('error', (error) => reject(error));
    });
  }

  /** Acknowledges everything received so far (what xterm's write callback reports). */
  ack(): void {
    if (this.unackedBytes > 0) this.send({ t: 'ack', bytes: this.unackedBytes });
    this.unackedBytes = 0;
  }

  get pendingAck(): number {
    return this.unackedBytes;
  }

  send(frame: object): void {
    this.sendRaw(JSON.stringify(frame));
  }

  sendRaw(data: string | Buffer): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(data);
  }

  input(text: string): void {
    this.send({ t: 'input', d: text });
  }

  /** Resolves once `predicate` holds, re-checked on every frame; rejects after `timeoutMs` showing what arrived. */
  waitUntil(predicate: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (!predicate()) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`timed out waiting for ${what}; output tail: ${JSON.stringify(this.output.slice(-500))}; controls: ${JSON.stringify(this.controls.slice(-5))}`));
      }, timeoutMs);
      this.waiters.add(check);
    });
  }

  async waitForOutput(pattern: RegExp, timeoutMs = 10_000): Promise<RegExpMatchArray> {
    await this.waitUntil(() => pattern.test(this.output), `output ${pattern}`, timeoutMs);
    return this.output.match(pattern) as RegExpMatchArray;
  }

  async waitForControl<T extends ServerFrame['t']>(t: T, timeoutMs = 10_000): Promise<Extract<ServerFrame, { t: T }>> {
    await this.waitUntil(() => this.controls.some((f) => f.t === t), `a ${t} frame`, timeoutMs);
    return this.controls.find((f) => f.t === t) as Extract<ServerFrame, { t: T }>;
  }

  close(): Promise<{ code: number; reason: string }> {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(1000, 'test done');
    return this.closed;
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}
