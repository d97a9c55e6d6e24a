// The yardstick for the terminal benchmark: the plainest xterm.js + ws + node-pty page, as the
// xterm.js demo builds it. `?fc=1` adds flow control as xterm.js' guide describes it (the page
// acknowledges bytes from xterm's write callback; the server pauses the pty above 100 000
// unacknowledged bytes and resumes below 5 000). No batching, no sandbox, no mirror. Its bash shows
// the learner's prompt (Debian's colourful one): each echo redraws the prompt's row, so a plainer
// prompt would make the yardstick's rows cheaper to draw than any learner's.
import { spawn as spawnProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { spawn } from 'node-pty';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from 'ws';
import { defaultPrompt } from '../../apps/terminal-gateway/src/local-sandbox';

const require = createRequire(import.meta.url);
const assets: Record<string, { file: string; type: string }> = {
  '/xterm.js': { file: require.resolve('@xterm/xterm/lib/xterm.js'), type: 'text/javascript' },
  '/xterm.css': { file: require.resolve('@xterm/xterm/css/xterm.css'), type: 'text/css' },
  '/addon-fit.js': { file: require.resolve('@xterm/addon-fit/lib/addon-fit.js'), type: 'text/javascript' },
};

/** The page: a terminal of the given pixel size (the same as the lab page's, so both draw as many cells). */
function page(): string {
  return `<!doctype html><html><head><meta charset="utf-8"><link rel="stylesheet" href="/xterm.css">
<style>body{margin:0;background:#0f1720}#t{width:var(--w,700px);height:var(--h,800px)}</style></head><body><div id="t"></div>
<script src="/xterm.js"></script><script src="/addon-fit.js"></script><script>
const params = new URLSearchParams(location.search);
const host = document.getElementById('t');
host.style.setProperty('--w', (params.get('w') || 700) + 'px');
host.style.setProperty('--h', (params.get('h') || 800) + 'px');
const term = new Terminal({ fontFamily: 'ui-monospace, "DejaVu Sans Mono", Menlo, monospace', fontSize: 14, scrollback: 5000 });
const fit = new FitAddon.FitAddon();
term.loadAddon(fit);
term.open(host);
fit.fit();
window.__workshopTerminal = term;
const fc = params.get('fc') === '1';
const ws = new WebSocket('ws://' + location.host + '/pty?fc=' + (fc ? 1 : 0) + '&cols=' + term.cols + '&rows=' + term.rows);
ws.binaryType = 'arraybuffer';
ws.onmessage = (e) => {
  const bytes = new Uint8Array(e.data);
  if (fc) term.write(bytes, () => ws.send(JSON.stringify({ t: 'ack', bytes: bytes.length })));
  else term.write(bytes);
};
term.onData((d) => ws.send(JSON.stringify({ t: 'input', d })));
</script></body></html>`;
}

export interface PlainTerminalServer {
  url: string;
  close(): Promise<void>;
}

export async function startPlainTerminalServer(): Promise<PlainTerminalServer> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const asset = assets[path];
    if (asset) {
      res.writeHead(200, { 'content-type': asset.type });
      res.end(readFileSync(asset.file));
    } else if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(page());
    } else {
      res.writeHead(404).end();
    }
  });
  const wss = new WebSocketServer({ server, path: '/pty', perMessageDeflate: false });
  const ptys = new Set<ReturnType<typeof spawn>>();
  wss.on('connection', (ws, req) => {
    const query = new URL(req.url ?? '', 'http://x').searchParams;
    const flowControl = query.get('fc') === '1';
    const pty = spawn('bash', ['--norc', '--noprofile'], {
      name: 'xterm-256color',
      cols: Number(query.get('cols') ?? 80),
      rows: Number(query.get('rows') ?? 24),
      cwd: process.env.HOME,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', TERM: 'xterm-256color', PS1: defaultPrompt, LANG: 'C.UTF-8' },
    });
    ptys.add(pty);
    let unacked = 0;
    let paused = false;
    pty.onData((data) => {
      const chunk = Buffer.from(data, 'utf8');
      ws.send(chunk);
      if (!flowControl) return;
      unacked += chunk.length;
      if (!paused && unacked > 100_000) {
        paused = true;
        pty.pause();
      }
    });
    pty.onExit(() => {
      ptys.delete(pty);
      ws.close();
    });
    ws.on('message', (raw: Buffer) => {
      const frame = JSON.parse(raw.toString('utf8')) as { t: 'input'; d: string } | { t: 'ack'; bytes: number };
      if (frame.t === 'input') pty.write(frame.d);
      else {
        unacked = Math.max(0, unacked - frame.bytes);
        if (paused && unacked < 5_000) {
          paused = false;
          pty.resume();
        }
      }
    });
    ws.on('close', () => pty.kill());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/`,
    async close() {
      for (const pty of ptys) pty.kill();
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * The plain server in a process of its own, as the gateway is. In the benchmark's own process it
 * would share an event loop with the client (Playwright, or a WebSocket typist) that has just sent
 * the key: that process is awake with warm caches, and the server is spared the wake-up of another
 * process that the gateway pays on every key (~0.2-0.3 ms on a 2-core VM).
 */
export async function startPlainTerminalServerProcess(): Promise<PlainTerminalServer> {
  const main = fileURLToPath(new URL('./plain-terminal-server-main.ts', import.meta.url));
  const child = spawnProcess(process.execPath, ['--import', 'tsx', main], { stdio: ['pipe', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) resolve(line.trim());
    });
    child.once('exit', (code) => reject(new Error(`the plain terminal server exited (code ${code})`)));
  });
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.stdin.end();
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}
