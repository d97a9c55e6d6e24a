import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../e2e/support/free-port';
import { portProblem, superviseService, type SupervisedService } from './supervise.mjs';

// A small real service: logs a JSON line, writes a marker file, and only then listens.
const serviceScript = `
const http = require('node:http');
const fs = require('node:fs');
console.log(JSON.stringify({ level: 30, msg: 'starting' }));
console.log(JSON.stringify({ level: 50, msg: 'something failed', err: { message: 'boom' } }));
console.log('a plain line');
setTimeout(() => {
  fs.writeFileSync(process.env.MARKER, String(process.pid));
  http.createServer((req, res) => res.end(String(process.pid))).listen(Number(process.env.PORT), '127.0.0.1');
}, 300);
`;

const running: SupervisedService[] = [];
let dir: string;

afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop(1000)));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function until(what: string, condition: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await condition()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
}

async function start(name: string, lines: string[], logged: string[] = []) {
  const port = await freePort();
  const marker = path.join(dir, `${name}.listening`);
  const markerAtReady: boolean[] = [];
  const service = superviseService({
    name,
    command: process.execPath,
    args: ['-e', serviceScript],
    cwd: dir,
    env: { ...process.env, PORT: String(port), MARKER: marker },
    readyUrl: `http://127.0.0.1:${port}/`,
    readyMessage: `${name} ready`,
    print: (line) => {
      if (line.startsWith(`${name} ready`)) markerAtReady.push(existsSync(marker));
      lines.push(line);
    },
    logFile: { write: (text) => void logged.push(text) },
    backoffMs: [100, 200],
  });
  running.push(service);
  return { service, url: `http://127.0.0.1:${port}/`, markerAtReady, marker };
}

describe('superviseService', () => {
  it('restarts a killed service while the other keeps answering', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'supervise-'));
    const lines: string[] = [];
    const portal = await start('portal', lines);
    const gateway = await start('gateway', lines);
    await until('both ready', () => lines.includes('portal ready') && lines.includes('gateway ready'));
    // "ready" is said only once the service really listens.
    expect(portal.markerAtReady).toEqual([true]);
    const gatewayPid = await (await fetch(gateway.url)).text();
    const killed = portal.service.pid;
    rmSync(portal.marker);
    process.kill(killed!, 'SIGKILL');

    let gatewayAnswers = 0;
    await until('the portal back', async () => {
      expect(await (await fetch(gateway.url)).text()).toBe(gatewayPid);
      gatewayAnswers++;
      return lines.some((l) => l.startsWith('portal ready (restarted'));
    });
    expect(gatewayAnswers).toBeGreaterThan(0);
    expect(lines).toContain('portal was killed by SIGKILL; restarting in 0.1 s');
    expect(portal.markerAtReady).toEqual([true, true]);
    const newPid = await (await fetch(portal.url)).text();
    expect(newPid).not.toBe(String(killed));
    expect(portal.service.starts).toBe(2);
    expect(gateway.service.starts).toBe(1);
  });

  it('sends JSON log lines to the log file and shows only errors, readably', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'supervise-'));
    const lines: string[] = [];
    const logged: string[] = [];
    await start('portal', lines, logged);
    await until('ready', () => lines.includes('portal ready'));
    expect(lines).toEqual(['portal: error: something failed (boom)', 'portal ready']);
    expect(logged.join('')).toContain('{"level":30,"msg":"starting"}\n');
    expect(logged.join('')).toContain('a plain line\n');
  });

  it('backs off a service that keeps dying', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'supervise-'));
    const lines: string[] = [];
    const service = superviseService({
      name: 'gateway',
      command: process.execPath,
      args: ['-e', 'process.exit(3)'],
      cwd: dir,
      env: process.env,
      readyUrl: 'http://127.0.0.1:1/',
      readyMessage: 'gateway ready',
      print: (line) => lines.push(line),
      logFile: undefined,
      backoffMs: [50, 100, 200],
    });
    running.push(service);
    await until('four restarts', () => lines.length >= 4);
    expect(lines.slice(0, 4).map((l) => l.split(';').slice(0, 2).join(';'))).toEqual([
      'gateway exited with code 3; restarting in 0.1 s',
      'gateway exited with code 3; restarting in 0.1 s',
      'gateway exited with code 3; restarting in 0.2 s',
      'gateway exited with code 3; restarting in 0.2 s',
    ]);
  });
});

describe('portProblem', () => {
  it('names a busy port in one sentence', async () => {
    const server: Server = createServer();
    const port = await freePort();
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
    try {
      expect(await portProblem('127.0.0.1', port)).toBe(`port ${port} on 127.0.0.1 is already in use`);
    } finally {
      server.close();
    }
    expect(await portProblem('127.0.0.1', port)).toBeUndefined();
  });
});
