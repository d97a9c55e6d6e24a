import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface RunningPlatform {
  portalUrl: string;
  gatewayPort: number;
  dataDir: string;
  output: () => string;
  stop: () => Promise<void>;
  /** Kills and starts the platform again on the same ports and data (a server restart). */
  restart: () => Promise<void>;
}

async function waitFor(url: string, child: ChildProcess, output: () => string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the platform exited (${child.exitCode}):\n${output().slice(-4000)}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the platform did not answer ${url} within ${timeoutMs} ms:\n${output().slice(-4000)}`);
}

/** Starts the platform exactly as `npm start` does (building the portal if needed), on free ports. */
export async function startPlatform(extraEnv: Record<string, string> = {}): Promise<RunningPlatform> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'workshop-e2e-'));
  // Searchable like a directory `npm start` makes: sandboxes of a root gateway run as an unprivileged
  // uid that must pass through it to the learners' homes.
  chmodSync(dataDir, 0o711);
  const portalPort = await freePort();
  const gatewayPort = await freePort();
  let log = '';
  let child: ChildProcess;
  const launch = async () => {
    child = spawn(process.execPath, [path.join(root, 'scripts/start.mjs')], {
      cwd: root,
      env: {
        ...process.env,
        PORTAL_PORT: String(portalPort),
        GATEWAY_PORT: String(gatewayPort),
        PORTAL_DATA_DIR: dataDir,
        PORTAL_LOG_LEVEL: 'warn',
        ...extraEnv,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    child.stdout?.on('data', (d: Buffer) => (log += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
    await waitFor(`http://127.0.0.1:${portalPort}/healthz`, child, () => log, 540_000);
    await waitFor(`http://127.0.0.1:${gatewayPort}/healthz`, child, () => log, 30_000);
  };
  const kill = async () => {
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
  };
  await launch();
  return {
    portalUrl: `http://127.0.0.1:${portalPort}`,
    gatewayPort,
    dataDir,
    output: () => log,
    restart: async () => {
      await kill();
      await launch();
    },
    stop: async () => {
      await kill();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
