#!/usr/bin/env node
// `npm start`: builds the portal when its sources changed, then runs the portal and the terminal
// gateway side by side. Either process dying stops the other, so a half-up platform never lingers.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = path.resolve(process.env.PORTAL_DATA_DIR ?? path.join(root, '.data'));
mkdirSync(dataDir, { recursive: true });

function fail(message) {
  console.error(`npm start: ${message}`);
  process.exit(1);
}

// One secret signs learner cookies and terminal tokens; generate it once per data dir unless given.
function tokenSecret() {
  if (process.env.WORKSHOP_TOKEN_SECRET) return process.env.WORKSHOP_TOKEN_SECRET;
  const file = path.join(dataDir, 'token-secret');
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

function newestMtime(dir) {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === '.next' || entry.name.endsWith('.test.ts')) continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

function buildPortalIfStale() {
  const portalDir = path.join(root, 'apps/portal');
  const buildId = path.join(portalDir, '.next', 'BUILD_ID');
  const sources = ['apps/portal', 'labs/src', 'checkers/src', 'clusters/src', 'apps/terminal-gateway/src'].map((d) =>
    newestMtime(path.join(root, d)),
  );
  if (existsSync(buildId) && statSync(buildId).mtimeMs > Math.max(...sources)) return;
  console.log('npm start: building the portal (first start or sources changed)…');
  const result = spawnSync('npx', ['next', 'build'], { cwd: portalDir, stdio: 'inherit', env: process.env });
  if (result.status !== 0) fail('the portal build failed (see above)');
}

const portalPort = Number(process.env.PORTAL_PORT ?? 3000);
const gatewayPort = Number(process.env.GATEWAY_PORT ?? 3001);
const host = process.env.PORTAL_HOST ?? '127.0.0.1';
if (!Number.isInteger(portalPort) || portalPort < 1 || portalPort > 65535) fail('PORTAL_PORT must be a TCP port number');
if (!Number.isInteger(gatewayPort) || gatewayPort < 1 || gatewayPort > 65535) fail('GATEWAY_PORT must be a TCP port number');

const env = {
  ...process.env,
  NODE_ENV: 'production',
  WORKSHOP_TOKEN_SECRET: tokenSecret(),
  PORTAL_DATA_DIR: dataDir,
  PORTAL_GATEWAY_URL: process.env.PORTAL_GATEWAY_URL ?? `ws://${host}:${gatewayPort}`,
  GATEWAY_HOST: process.env.GATEWAY_HOST ?? host,
  GATEWAY_PORT: String(gatewayPort),
  GATEWAY_HOMES_DIR: process.env.GATEWAY_HOMES_DIR ?? path.join(dataDir, 'homes'),
  GATEWAY_ALLOWED_ORIGINS:
    process.env.GATEWAY_ALLOWED_ORIGINS ?? `http://${host}:${portalPort},http://localhost:${portalPort}`,
  CLUSTERS_DATA_DIR: process.env.CLUSTERS_DATA_DIR ?? path.join(dataDir, 'clusters'),
};

if (!process.argv.includes('--no-build')) buildPortalIfStale();

const children = [
  spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: path.join(root, 'apps/terminal-gateway'),
    env,
    stdio: 'inherit',
  }),
  spawn(path.join(root, 'node_modules/.bin/next'), ['start', '-H', host, '-p', String(portalPort)], {
    cwd: path.join(root, 'apps/portal'),
    env,
    stdio: 'inherit',
  }),
];
console.log(`npm start: portal on http://${host}:${portalPort}, terminal gateway on ws://${host}:${gatewayPort}`);

let stopping = false;
function stop(code) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 3000).unref();
  Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : null))).then(() =>
    process.exit(code),
  );
}
for (const child of children) child.once('exit', (code) => stop(code ?? 1));
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
