// Shared state and behaviour switches of the test-double executables (docker, kind, kubectl, istioctl).
// State lives in files under $FAKE_TOOLS_DIR so that concurrent invocations from several provisioning
// pipelines see one host: one JSON file per cluster (each pipeline is sequential, so no write races),
// one marker file per image on the host, one line per invocation in invocations.log.
//
// Behaviours ($FAKE_TOOLS_DIR/behaviors.json, array): {"match": "istioctl install", "action": "fail",
// "times": 1, "exitCode": 1, "stderr": "..."} | {"match": "...", "action": "slow", "ms": 500}
// | {"match": "...", "action": "hang"}. `match` is a substring of "<tool> <args>" with the
// `--kubeconfig <path>` pair removed; `times` (default: always) counts matching invocations.

import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const dir = process.env.FAKE_TOOLS_DIR ?? '';
if (!dir) {
  process.stderr.write('fake tool: FAKE_TOOLS_DIR is not set\n');
  process.exit(97);
}

const clustersDir = path.join(dir, 'clusters');
const imagesDir = path.join(dir, 'host-images');
const countersDir = path.join(dir, 'counters');
for (const d of [clustersDir, imagesDir, countersDir]) mkdirSync(d, { recursive: true });

export function withoutKubeconfig(args) {
  const out = [];
  for (let i = 0; i < args.length; i += 1) {
    if (args[i] === '--kubeconfig') i += 1;
    else out.push(args[i]);
  }
  return out;
}

export function logInvocation(tool, args) {
  appendFileSync(path.join(dir, 'invocations.log'), `${JSON.stringify({ tool, argv: args, pid: process.pid })}\n`);
}

function readJson(file, fallback) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return fallback;
  }
}

function writeJsonAtomic(file, value) {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(value, null, 1));
  renameSync(tmp, file);
}

/** Applies behaviors.json; resolves when the tool may go on, exits the process for fail/hang. */
export async function applyBehaviours(tool, args) {
  const line = [tool, ...withoutKubeconfig(args)].join(' ');
  const behaviours = readJson(path.join(dir, 'behaviors.json'), []);
  for (const [index, b] of behaviours.entries()) {
    if (!line.includes(b.match)) continue;
    const counterFile = path.join(countersDir, String(index));
    // O_APPEND writes of one byte are atomic: the file length is the number of matching calls so far.
    appendFileSync(counterFile, 'x');
    const seen = readFileSync(counterFile, 'utf8').length;
    if (b.times !== undefined && seen > b.times) continue;
    if (b.action === 'slow') await new Promise((r) => setTimeout(r, b.ms ?? 200));
    if (b.action === 'hang') {
      await new Promise((r) => setTimeout(r, 3_600_000));
    }
    if (b.action === 'fail') {
      process.stderr.write(`${b.stderr ?? `fake ${tool}: induced failure for "${b.match}"`}\n`);
      process.exit(b.exitCode ?? 1);
    }
  }
}

export function clusterFile(name) {
  return path.join(clustersDir, `${name}.json`);
}

export function listClusters() {
  return readdirSync(clustersDir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

export function readCluster(name) {
  return readJson(clusterFile(name), null);
}

export function writeCluster(name, state) {
  writeJsonAtomic(clusterFile(name), state);
}

export function deleteCluster(name) {
  rmSync(clusterFile(name), { force: true });
}

export function kubeconfigText(name) {
  return `# written by the fake kind\napiVersion: v1\nkind: Config\ncurrent-context: kind-${name}\nclusters:\n- name: kind-${name}\n  cluster:\n    server: https://127.0.0.1:6443\ncontexts:\n- name: kind-${name}\n  context: {cluster: kind-${name}, user: kind-${name}}\nusers:\n- name: kind-${name}\n  user: {token: fake}\n`;
}

/** The cluster a kubeconfig points at (kind's naming: current-context kind-<name>). */
export function clusterOfKubeconfig(file) {
  if (!file || !existsSync(file)) return null;
  const m = /current-context:\s*kind-(\S+)/.exec(readFileSync(file, 'utf8'));
  return m ? m[1] : null;
}

function imageMarker(ref) {
  return path.join(imagesDir, encodeURIComponent(ref));
}

export function hostHasImage(ref) {
  return existsSync(imageMarker(ref));
}

export function addHostImage(ref) {
  writeFileSync(imageMarker(ref), ref);
}

export function normaliseImageRef(ref) {
  const withoutDigest = ref.split('@')[0];
  const parts = withoutDigest.split('/');
  const first = parts[0];
  if (parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost')) return withoutDigest;
  return parts.length === 1 ? `docker.io/library/${withoutDigest}` : `docker.io/${withoutDigest}`;
}

export function fail(message, code = 1) {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

export function out(text) {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

export function flag(args, name) {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

export async function start(tool) {
  const args = process.argv.slice(2);
  logInvocation(tool, args);
  await applyBehaviours(tool, args);
  return args;
}
