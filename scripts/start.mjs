#!/usr/bin/env node
// `npm start`: builds the portal when its sources changed, then runs the portal and the terminal
// gateway side by side, each supervised: a crashed one is restarted with backoff while the other
// keeps serving (learners' shells live in the gateway and survive a portal crash). Prints one line
// per service once it really answers; JSON logs go to .data/logs (WORKSHOP_LOG_JSON=1: here).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, openSync, closeSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { portProblem, superviseService } from './supervise.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = path.resolve(process.env.PORTAL_DATA_DIR ?? path.join(root, '.data'));
const logsDir = path.join(dataDir, 'logs');
mkdirSync(logsDir, { recursive: true });
const jsonLogsHere = process.env.WORKSHOP_LOG_JSON === '1';

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
  const buildLog = path.join(logsDir, 'build.log');
  console.log(`npm start: building the portal (first start or sources changed; a few minutes; output in ${buildLog.startsWith(root) ? path.relative(root, buildLog) : buildLog})…`);
  const out = openSync(buildLog, 'w');
  const result = spawnSync('npx', ['next', 'build'], {
    cwd: portalDir,
    stdio: ['ignore', out, out],
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  });
  closeSync(out);
  if (result.status !== 0) {
    console.error(readFileSync(buildLog, 'utf8').split('\n').slice(-40).join('\n'));
    fail(`the portal build failed (above: the end of ${buildLog})`);
  }
}

const portalPort = Number(process.env.PORTAL_PORT ?? 3000);
const gatewayPort = Number(process.env.GATEWAY_PORT ?? 3001);
const host = process.env.PORTAL_HOST ?? '127.0.0.1';
if (!Number.isInteger(portalPort) || portalPort < 1 || portalPort > 65535) fail('PORTAL_PORT must be a TCP port number');
if (!Number.isInteger(gatewayPort) || gatewayPort < 1 || gatewayPort > 65535) fail('GATEWAY_PORT must be a TCP port number');

const env = {
  ...process.env,
  NODE_ENV: 'production',
  NEXT_TELEMETRY_DISABLED: '1',
  WORKSHOP_TOKEN_SECRET: tokenSecret(),
  PORTAL_DATA_DIR: dataDir,
  PORTAL_GATEWAY_URL: process.env.PORTAL_GATEWAY_URL ?? `ws://${host}:${gatewayPort}`,
  GATEWAY_HOST: process.env.GATEWAY_HOST ?? host,
  GATEWAY_PORT: String(gatewayPort),
  GATEWAY_HOMES_DIR: process.env.GATEWAY_HOMES_DIR ?? path.join(dataDir, 'homes'),
  GATEWAY_ALLOWED_ORIGINS:
    process.env.GATEWAY_ALLOWED_ORIGINS ??
    [`http://${host}:${portalPort}`, `http://localhost:${portalPort}`, process.env.PORTAL_PUBLIC_URL?.replace(/\/$/, '')].filter(Boolean).join(','),
  CLUSTERS_DATA_DIR: process.env.CLUSTERS_DATA_DIR ?? path.join(dataDir, 'clusters'),
};

for (const [variable, port] of [
  ['PORTAL_PORT', portalPort],
  ['GATEWAY_PORT', gatewayPort],
]) {
  const problem = await portProblem(host, port);
  if (problem) fail(`${problem} (${variable}); stop what uses it, or choose another port, e.g. ${variable}=${port + 100} npm start`);
}

if (!process.argv.includes('--no-build')) buildPortalIfStale();

const print = (line) => console.log(line);
const logFileFor = (name) => (jsonLogsHere ? undefined : createWriteStream(path.join(logsDir, `${name}.log`), { flags: 'a' }));
let stopping = false;
const services = [];
const giveUp = (name) => (how) => {
  console.error(`npm start: the ${name} ${how} before it was ready; see the lines above${jsonLogsHere ? '' : ` and ${path.join(logsDir, `${name}.log`)}`}`);
  void stop(1);
};

services.push(
  superviseService({
    name: 'gateway',
    command: process.execPath,
    args: ['--import', 'tsx', 'src/main.ts'],
    cwd: path.join(root, 'apps/terminal-gateway'),
    env,
    readyUrl: `http://${host}:${gatewayPort}/healthz`,
    readyMessage: `terminal gateway ready on ws://${host}:${gatewayPort}`,
    print,
    logFile: logFileFor('gateway'),
    pidFile: path.join(logsDir, 'gateway.pid'),
    onFailedStart: giveUp('gateway'),
  }),
);
services.push(
  superviseService({
    name: 'portal',
    command: process.execPath,
    args: ['server.mjs', host, String(portalPort)],
    cwd: path.join(root, 'apps/portal'),
    env,
    readyUrl: `http://${host}:${portalPort}/healthz`,
    readyMessage: `portal ready on ${process.env.PORTAL_PUBLIC_URL ?? `http://${host}:${portalPort}`}`,
    print,
    logFile: logFileFor('portal'),
    pidFile: path.join(logsDir, 'portal.pid'),
    onFailedStart: giveUp('portal'),
  }),
);
void describeProvider().then((line) => line && print(line));
if (!jsonLogsHere) print(`npm start: logs in ${logsDir} (WORKSHOP_LOG_JSON=1 prints them here instead)`);

/** Which environment provider the portal will use and why, from the same code the portal runs. */
async function describeProvider() {
  try {
    const { tsImport } = await import('tsx/esm/api');
    const { loadClustersConfig } = await tsImport('../clusters/src/clusters-config.ts', import.meta.url);
    const config = loadClustersConfig(env, root);
    const reason =
      config.providerSource === 'env'
        ? 'set by CLUSTERS_PROVIDER'
        : config.provider === 'kind'
          ? 'docker and kind are on the PATH'
          : 'docker and kind are not both on the PATH: sandboxed shells, with a cluster only if CLUSTERS_LOCAL_KUBECONFIG is set';
    return `environments: ${config.provider} provider (${reason})`;
  } catch {
    return undefined; // a bad CLUSTERS_* setting: the portal names it when it starts
  }
}

async function stop(code) {
  if (stopping) return;
  stopping = true;
  await Promise.all(services.map((s) => s.stop(3000)));
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
