// Gateway throughput and memory under load, measured on a real gateway process (its own RSS).
// Prints `name: value unit` lines. Run: npx tsx apps/terminal-gateway/bench/throughput.bench.ts
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { mintTerminalToken } from '../src/terminal-token';

const appDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const secret = randomBytes(24).toString('hex');
const origin = 'http://127.0.0.1:3000';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith(`${field}:`));
  return Number(line?.replace(/\D+/g, '') ?? 0);
}

/** Samples the gateway's RSS until stopped; returns the peak in MB. */
function rssSampler(pid: number): { stop(): number } {
  let peak = statusKb(pid, 'VmRSS');
  const timer = setInterval(() => (peak = Math.max(peak, statusKb(pid, 'VmRSS'))), 20);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, statusKb(pid, 'VmRSS')) / 1024;
    },
  };
}

async function startGatewayProcess(homesDir: string): Promise<{ child: ChildProcess; port: number }> {
  // `node --import tsx` rather than the tsx CLI, so the pid we sample is the gateway itself.
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: appDir,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, WORKSHOP_TOKEN_SECRET: secret, GATEWAY_PORT: '0', GATEWAY_HOMES_DIR: homesDir, GATEWAY_LOG_LEVEL: 'info', GATEWAY_LOCAL_UNSANDBOXED: 'single-user' },
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
class BenchClient {
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

async function metric(port: number, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return Number(text.split('\n').find((l) => l.startsWith(`${name} `))?.split(' ')[1] ?? 0);
}

async function main(): Promise<void> {
  const homesDir = mkdtempSync(join(tmpdir(), 'gw-bench-'));
  const { child, port } = await startGatewayProcess(homesDir);
  const pid = child.pid ?? 0;
  const url = (terminal: string) => {
    const token = mintTerminalToken(secret, { v: 1, sub: 'bench', env: 'env-bench', role: 'learner', target: { kind: 'local', home: 'bench' } });
    return `ws://127.0.0.1:${port}/terminals/env-bench?token=${token}&terminal=${terminal}`;
  };
  try {
    await sleep(300);
    console.log(`gateway.rss_idle: ${(statusKb(pid, 'VmRSS') / 1024).toFixed(0)} MB`);

    // 1. 20 MB through a promptly acknowledging client.
    const fast = await BenchClient.open(url('throughput'));
    fast.input('echo "READY$((1+1))"\r');
    await fast.waitFor('READY2');
    const sampler = rssSampler(pid);
    const before = fast.bytes;
    const started = process.hrtime.bigint();
    fast.input(`head -c 20000000 /dev/zero | tr '\\0' x; echo; echo "DONE$((2+2))"\r`);
    await fast.waitFor('DONE4');
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const peakThroughput = sampler.stop();
    const mb = (fast.bytes - before) / 1e6;
    console.log(`gateway.throughput_20MB: ${(mb / seconds).toFixed(1)} MB/s`);
    console.log(`gateway.throughput_20MB_seconds: ${seconds.toFixed(2)} s`);
    console.log(`gateway.peak_rss_throughput: ${peakThroughput.toFixed(0)} MB`);
    fast.ws.close();

    // 2. `yes` for 5 s with a browser that acknowledges only 16 KiB every 100 ms.
    const slow = await BenchClient.open(url('flood'));
    slow.input('echo "READY$((1+1))"\r');
    await slow.waitFor('READY2');
    slow.ack();
    slow.onOutput = () => undefined;
    const pausesBefore = await metric(port, 'terminal_gateway_flow_pauses_total');
    const floodSampler = rssSampler(pid);
    const slowAcks = setInterval(() => slow.ack(16 * 1024), 100);
    slow.input('yes\r');
    await sleep(5000);
    clearInterval(slowAcks);
    const peakFlood = floodSampler.stop();
    console.log(`gateway.peak_rss_flood: ${peakFlood.toFixed(0)} MB`);
    console.log(`gateway.flood_bytes_delivered_5s: ${(slow.bytes / 1e6).toFixed(2)} MB`);
    console.log(`gateway.flood_flow_pauses: ${(await metric(port, 'terminal_gateway_flow_pauses_total')) - pausesBefore} count`);

    // 3. Ctrl-C while paused; the browser catches up from then on.
    const interruptedAt = process.hrtime.bigint();
    slow.input('\x03');
    slow.onOutput = () => slow.ack();
    slow.ack();
    slow.input('echo "STOPPED$((3+4))"\r');
    await slow.waitFor('STOPPED7', 10_000);
    console.log(`gateway.ctrl_c_latency: ${(Number(process.hrtime.bigint() - interruptedAt) / 1e6).toFixed(0)} ms`);
    slow.ws.close();
    console.log(`gateway.peak_rss_overall: ${(statusKb(pid, 'VmHWM') / 1024).toFixed(0)} MB`);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(homesDir, { recursive: true, force: true });
  }
}

await main();
