// Shared by the gateway benches: a real gateway process (its own RSS), a lean client, RSS sampling.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';

export const appDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const secret = randomBytes(24).toString('hex');
export const origin = 'http://127.0.0.1:3000';
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith(`${field}:`));
  return Number(line?.replace(/\D+/g, '') ?? 0);
}

/** Samples the gateway's RSS until stopped; returns the peak in MB. */
export function rssSampler(pid: number): { stop(): number } {
  let peak = statusKb(pid, 'VmRSS');
  const timer = setInterval(() => (peak = Math.max(peak, statusKb(pid, 'VmRSS'))), 20);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, statusKb(pid, 'VmRSS')) / 1024;
    },
  };
}

export async function startGatewayProcess(homesDir: string, extraEnv: Record<string, string> = {}): Promise<{ child: ChildProcess; port: number }> {
  // `node --import tsx` rather than the tsx CLI, so the pid we sample is the gateway itself.
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: appDir,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, WORKSHOP_TOKEN_SECRET: secret, GATEWAY_PORT: '0', GATEWAY_HOMES_DIR: homesDir, GATEWAY_LOG_LEVEL: 'info', GATEWAY_LOCAL_UNSANDBOXED: 'single-user', ...(process.env.GATEWAY_PTY_HOST ? { GATEWAY_PTY_HOST: process.env.GATEWAY_PTY_HOST } : {}), ...extraEnv },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolvePort, reject) => {
    let buffered = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      for (const line of buffered.split('\n')) {
        const match = /"port":(\d+).*terminal gateway listening/.exec(line);
        if (match?.[1]) resolvePort(Number(match[1]));
      }
    });
    child.once('exit', (code) => reject(new Error(`gateway exited with ${code}`)));
  });
  child.stdout?.resume();
  return { child, port };
}

/** A lean client: counts bytes, keeps a short tail to spot markers, acks by policy. */
export class BenchClient {
  bytes = 0;
  unacked = 0;
  tail = '';
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer, isBinary) => {
      if (!isBinary) return;
      this.bytes += data.length;
      this.unacked += data.length;
      this.tail = (this.tail + data.toString('latin1')).slice(-256);
      this.onOutput();
    });
  }
  onOutput: () => void = () => this.ack();
  static open(url: string): Promise<BenchClient> {
    const ws = new WebSocket(url, { origin });
    return new Promise((res, rej) => {
      ws.once('open', () => res(new BenchClient(ws)));
      ws.once('error', rej);
    });
  }
  ack(max = Infinity): void {
    const bytes = Math.min(this.unacked, max);
    if (bytes <= 0) return;
    this.unacked -= bytes;
    this.ws.send(JSON.stringify({ t: 'ack', bytes }));
  }
  input(d: string): void {
    this.ws.send(JSON.stringify({ t: 'input', d }));
  }
  async waitFor(marker: string, timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.tail.includes(marker)) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${marker}; tail ${JSON.stringify(this.tail)}`);
      await sleep(2);
    }
  }
}

export async function metric(port: number, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return Number(text.split('\n').find((l) => l.startsWith(`${name} `))?.split(' ')[1] ?? 0);
}

