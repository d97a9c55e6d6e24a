// Where echo time goes on the server: a WebSocket client types one key at a time (20–50 ms apart)
// and times each key to its echo frame, against the gateway (its default pty host, then
// GATEWAY_PTY_HOST=inline) and the plain xterm.js + ws + node-pty server of e2e/bench, all started
// here, each in a process of its own, keys interleaved. No browser: the gap between these is the server's share of what
// e2e/bench/terminal-vs-plain.bench.ts measures from keydown to glyph.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { startPlainTerminalServerProcess } from '../../../e2e/bench/plain-terminal-server';
import { mintTerminalToken } from '../src/terminal-token';
import { origin, secret, sleep, startGatewayProcess } from './bench-gateway';

const keys = Number(process.env.BENCH_KEYS ?? 300);

interface Typist {
  name: string;
  type(ch: string): Promise<number>;
  close(): void;
}

async function typist(name: string, url: string, headers: Record<string, string> = {}): Promise<Typist> {
  const ws = new WebSocket(url, { origin, headers, perMessageDeflate: false });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  let text = '';
  let waiting: { ch: string; resolve: () => void } | undefined;
  ws.on('message', (data: Buffer, isBinary) => {
    if (!isBinary) return;
    text = (text + data.toString('utf8')).slice(-200);
    ws.send(JSON.stringify({ t: 'ack', bytes: data.length }));
    if (waiting && text.endsWith(waiting.ch)) {
      const w = waiting;
      waiting = undefined;
      w.resolve();
    }
  });
  const input = (d: string) => ws.send(JSON.stringify({ t: 'input', d }));
  input('PS1="$ "; echo "READY_$((1+1))"\r');
  for (let i = 0; !text.includes('READY_2') && i < 500; i++) await sleep(10);
  let typed = 0;
  return {
    name,
    async type(ch) {
      if (typed++ % 40 === 0) {
        input('\x15'); // Ctrl-U: keep the line short
        await sleep(30);
        text = '';
      }
      const done = new Promise<void>((resolve) => (waiting = { ch, resolve }));
      const started = process.hrtime.bigint();
      input(ch);
      await done;
      return Number(process.hrtime.bigint() - started) / 1e6;
    },
    close: () => ws.close(),
  };
}

function pct(samples: number[], p: number): number {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

const homes = mkdtempSync(join(tmpdir(), 'gw-echo-'));
const plain = await startPlainTerminalServerProcess();
const gateways = [await startGatewayProcess(join(homes, 'a')), await startGatewayProcess(join(homes, 'b'), { GATEWAY_PTY_HOST: 'inline' })];
try {
  const token = mintTerminalToken(secret, { v: 1, sub: 'bench', env: 'env-bench', role: 'learner', target: { kind: 'local', home: 'bench' } });
  const typists = [
    await typist('plain xterm.js + ws + node-pty, flow control', `${plain.url.replace('http', 'ws')}pty?fc=1&cols=80&rows=24`),
    await typist('gateway, pty host (default)', `ws://127.0.0.1:${gateways[0]!.port}/terminals/env-bench?token=${token}&terminal=echo`),
    await typist('gateway, GATEWAY_PTY_HOST=inline', `ws://127.0.0.1:${gateways[1]!.port}/terminals/env-bench?token=${token}&terminal=echo`),
  ];
  const samples = new Map(typists.map((t) => [t.name, [] as number[]]));
  console.log(`load average at start ${loadavg()[0]!.toFixed(1)}; ${keys} keys each, interleaved`);
  for (let i = 0; i < keys; i++)
    for (const t of typists) {
      samples.get(t.name)!.push(await t.type(String.fromCharCode(97 + (i % 26))));
      await sleep(20 + Math.random() * 30);
    }
  console.log('key → echo frame (ms)                             p50     p95     p99');
  for (const t of typists) {
    const s = samples.get(t.name)!;
    console.log(`${t.name.padEnd(46)} ${pct(s, 50).toFixed(2).padStart(6)}  ${pct(s, 95).toFixed(2).padStart(6)}  ${pct(s, 99).toFixed(2).padStart(6)}`);
  }
  const base = pct(samples.get(typists[0]!.name)!, 50);
  console.log(`gateway.echo_server_p50_ratio_vs_plain: ${(pct(samples.get(typists[1]!.name)!, 50) / base).toFixed(2)}`);
  console.log(`gateway.echo_server_inline_p50_ratio_vs_plain: ${(pct(samples.get(typists[2]!.name)!, 50) / base).toFixed(2)}`);
  for (const t of typists) t.close();
} finally {
  for (const g of gateways) g.child.kill();
  await plain.close();
  rmSync(homes, { recursive: true, force: true });
}
