import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { mintTerminalToken } from '../apps/terminal-gateway/src/terminal-token';
import { origin, secret, sleep, startGatewayProcess } from '../apps/terminal-gateway/bench/bench-gateway';
const g = await startGatewayProcess(mkdtempSync(join(tmpdir(), 'gw-t-')));
console.log('PID', g.child.pid);
const token = mintTerminalToken(secret, { v: 1, sub: 'bench', env: 'env-bench', role: 'learner', target: { kind: 'local', home: 'bench' } });
const ws = new WebSocket(`ws://127.0.0.1:${g.port}/terminals/env-bench?token=${token}&terminal=t`, { origin, perMessageDeflate: false });
await new Promise((r) => ws.once('open', r));
ws.on('message', (d: Buffer, bin) => { if (bin) ws.send(JSON.stringify({ t: 'ack', bytes: d.length })); });
await sleep(8000);
for (let i = 0; i < 5; i++) { ws.send(JSON.stringify({ t: 'input', d: 'x' })); await sleep(500); }
ws.close(); g.child.kill(); process.exit(0);
