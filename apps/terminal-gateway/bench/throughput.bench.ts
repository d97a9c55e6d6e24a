// Gateway throughput and memory under load, measured on a real gateway process (its own RSS).
// Prints `name: value unit` lines. Run: npx tsx apps/terminal-gateway/bench/throughput.bench.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mintTerminalToken } from '../src/terminal-token';
import { BenchClient, metric, rssSampler, secret, sleep, startGatewayProcess, statusKb } from './bench-gateway';

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
