// Opening many terminals at once must not freeze the ones already open. Measures, on a real gateway
// process with real (sandboxed when bubblewrap runs) shells: the keystroke echo and ping→pong
// round trips of one open session, first with nothing else going on, then while 200 new terminals
// are opened at once; prints p50/p99/max of each and the p99 ratio. Two runs: admission caps raised
// so that all 200 open (the worst case for the event loop), then the default caps (10 new
// terminals per second, burst 10), where most of the 200 are refused with "the platform is full".
// GATEWAY_PTY_HOST=inline in the environment measures the old way (the gateway forks itself).
// Run: npx tsx apps/terminal-gateway/bench/open-burst.bench.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { mintTerminalToken } from '../src/terminal-token';
import { metric, origin, secret, sleep, startGatewayProcess, statusKb } from './bench-gateway';

const burst = 200;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

function summary(samples: number[]): { p50: number; p99: number; max: number; n: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] ?? NaN, n: sorted.length };
}

/** One open terminal that measures round trips: a keystroke echoed by the pty, and ping→pong. */
class Typist {
  private waiting: ((text: string) => void) | undefined;
  private pong: (() => void) | undefined;
  /** Resolves with the close code (a refusal after the upgrade, "platform-full", closes with 1013). */
  readonly closed: Promise<number>;
  private constructor(readonly ws: WebSocket) {
    this.closed = new Promise((resolve) => ws.once('close', (code: number) => resolve(code)));
    ws.on('message', (data: Buffer, isBinary) => {
      if (isBinary) {
        ws.send(JSON.stringify({ t: 'ack', bytes: data.length }));
        this.waiting?.(data.toString('utf8'));
      } else if (data.toString('utf8').includes('"pong"')) this.pong?.();
    });
  }
  static open(url: string): Promise<Typist> {
    const ws = new WebSocket(url, { origin });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new Typist(ws)));
      ws.once('error', reject);
    });
  }
  /** Resolves when output containing `marker` arrives. */
  until(marker: string): Promise<void> {
    let seen = '';
    return new Promise((resolve) => {
      this.waiting = (text) => {
        seen = (seen + text).slice(-200);
        if (seen.includes(marker)) {
          this.waiting = undefined;
          resolve();
        }
      };
    });
  }
  async echoMs(): Promise<number> {
    const started = process.hrtime.bigint();
    const echoed = this.until('k');
    this.ws.send(JSON.stringify({ t: 'input', d: 'k' }));
    await echoed;
    return Number(process.hrtime.bigint() - started) / 1e6;
  }
  async pingMs(): Promise<number> {
    const started = process.hrtime.bigint();
    const answered = new Promise<void>((resolve) => (this.pong = resolve));
    this.ws.send(JSON.stringify({ t: 'ping' }));
    await answered;
    return Number(process.hrtime.bigint() - started) / 1e6;
  }
}

/** Samples echo and ping round trips, one after another with a 10 ms pause, until `done()`. */
async function sample(typist: Typist, done: () => boolean): Promise<{ echo: number[]; ping: number[] }> {
  const echo: number[] = [];
  const ping: number[] = [];
  while (!done()) {
    echo.push(await typist.echoMs());
    ping.push(await typist.pingMs());
    // Keep cat's line short.
    if (echo.length % 50 === 0) typist.ws.send(JSON.stringify({ t: 'input', d: '\r' }));
    await sleep(10);
  }
  return { echo, ping };
}

async function run(label: string, caps: Record<string, string>): Promise<void> {
  console.log(`\n# ${label}`);
  const homesDir = mkdtempSync(join(tmpdir(), 'gw-bench-burst-'));
  const { child, port } = await startGatewayProcess(homesDir, caps);
  const pid = child.pid ?? 0;
  const url = (n: string) => {
    const token = mintTerminalToken(secret, { v: 1, sub: `burst-${n}`, env: `env-burst-${n}`, role: 'learner', target: { kind: 'local', home: `burst-${n}` } });
    return `ws://127.0.0.1:${port}/terminals/env-burst-${n}?token=${token}`;
  };
  const opened: Typist[] = [];
  try {
    const typist = await Typist.open(url('typist'));
    const ready = typist.until('READY2');
    typist.ws.send(JSON.stringify({ t: 'input', d: 'echo "READY$((1+1))"; cat > /dev/null\r' }));
    await ready;
    await sleep(500);

    const idleUntil = Date.now() + 3000;
    const idle = await sample(typist, () => Date.now() > idleUntil);

    const rssBefore = statusKb(pid, 'VmRSS') / 1024;
    // prom-client's event-loop lag gauges cover the time since the last scrape: scrape now, and after.
    await metric(port, 'terminal_gateway_nodejs_eventloop_lag_max_seconds');
    let prompts = 0;
    /** Terminals that did not open, by how: `HTTP <status>` (refused upgrade), `close <code>` (refused after it), `error`. */
    const refusals = new Map<string, number>();
    const notOpened = (how: string) => refusals.set(how, (refusals.get(how) ?? 0) + 1);
    const started = Date.now();
    const openings = Array.from({ length: burst }, async (_, i) => {
      try {
        const t = await Typist.open(url(String(i)));
        opened.push(t);
        const outcome = await Promise.race([t.until('$ ').then(() => 'prompt'), t.closed.then((code) => `close ${code}`)]);
        if (outcome === 'prompt') prompts += 1;
        else notOpened(outcome);
      } catch (error) {
        // ws reports a refused upgrade as "Unexpected server response: <status>".
        const status = /server response: (\d+)/.exec((error as Error).message)?.[1];
        notOpened(status ? `HTTP ${status}` : 'error');
      }
    });
    const failedCount = () => [...refusals.values()].reduce((x, y) => x + y, 0);
    const during = await sample(typist, () => prompts + failedCount() >= burst || Date.now() - started > 180_000);
    await Promise.race([Promise.all(openings), sleep(1000)]);
    const openSeconds = (Date.now() - started) / 1000;
    const loopLagP99 = (await metric(port, 'terminal_gateway_nodejs_eventloop_lag_p99_seconds')) * 1000;
    const spawnSeconds = await metric(port, 'terminal_gateway_pty_spawn_seconds_sum');
    const spawns = await metric(port, 'terminal_gateway_pty_spawn_seconds_count');
    const hostForkSeconds = await metric(port, 'terminal_gateway_pty_host_fork_seconds_sum');
    const hostForks = await metric(port, 'terminal_gateway_pty_host_fork_seconds_count');

    const [echoIdle, echoBurst, pingIdle, pingBurst] = [summary(idle.echo), summary(during.echo), summary(idle.ping), summary(during.ping)];
    const fmt = (s: { p50: number; p99: number; max: number; n: number }) => `p50 ${s.p50.toFixed(1)} / p99 ${s.p99.toFixed(1)} / max ${s.max.toFixed(1)} ms (n=${s.n})`;
    const how = [...refusals].map(([what, n]) => `${n}× ${what}`).join(', ');
    console.log(`gateway.burst_terminals_opened: ${prompts} of ${burst} admitted, ${failedCount()} not${how ? ` (${how})` : ''}, in ${openSeconds.toFixed(1)} s`);
    console.log(`gateway.echo_idle: ${fmt(echoIdle)}`);
    console.log(`gateway.echo_while_opening_${burst}: ${fmt(echoBurst)}`);
    console.log(`gateway.echo_p99_ratio: ${(echoBurst.p99 / echoIdle.p99).toFixed(1)}x`);
    console.log(`gateway.ping_idle: ${fmt(pingIdle)}`);
    console.log(`gateway.ping_while_opening_${burst}: ${fmt(pingBurst)}`);
    console.log(`gateway.ping_p99_ratio: ${(pingBurst.p99 / pingIdle.p99).toFixed(1)}x`);
    // Lag of the gateway's own event loop (blocked by work) as opposed to round trips (also CPU contention).
    console.log(`gateway.event_loop_lag_while_opening_${burst}: p99 ${loopLagP99.toFixed(1)} ms`);
    console.log(`gateway.pty_spawn_on_loop: mean ${((spawnSeconds / spawns) * 1000).toFixed(2)} ms, total ${(spawnSeconds * 1000).toFixed(0)} ms for ${spawns} spawns`);
    // With the pty host (the default) the fork happens there, off the gateway's loop.
    if (hostForks > 0)
      console.log(`gateway.pty_host_fork: mean ${((hostForkSeconds / hostForks) * 1000).toFixed(1)} ms, total ${(hostForkSeconds * 1000).toFixed(0)} ms for ${hostForks} forks (in the pty host process)`);
    console.log(`gateway.host_load_average_1min: ${loadavg()[0]?.toFixed(1)} (the 200 shells starting up, kubectl completion included, plus any other work on the machine)`);
    console.log(`gateway.rss_before_after_${burst}: ${rssBefore.toFixed(0)} → ${(statusKb(pid, 'VmRSS') / 1024).toFixed(0)} MB`);
    typist.ws.close();
  } finally {
    for (const t of opened) t.ws.close();
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(homesDir, { recursive: true, force: true });
  }
}

await run(`caps raised: all ${burst} admitted`, { GATEWAY_MAX_TERMINALS: String(burst + 10), GATEWAY_NEW_TERMINALS_PER_SECOND: String(burst * 10) });
await run('default admission caps (GATEWAY_MAX_TERMINALS 200, GATEWAY_NEW_TERMINALS_PER_SECOND 10)', {});
