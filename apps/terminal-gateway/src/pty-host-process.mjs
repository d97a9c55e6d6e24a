// @ts-check
// The pty host: a small child process of the gateway that forks every shell. A fork of the
// ~110 MB gateway costs ~9 ms of its event loop per shell (more under load); forking this ~40 MB
// process costs a fraction of that and blocks nobody's echo. The gateway opens each pty itself
// and keeps its master end (pty-master.ts), so keystrokes and output never pass through here: the
// host only opens the slave end by its path, forks the shell onto it as its controlling terminal,
// and reports its exit.
//
// Plain JavaScript on purpose: it runs under bare `node` (no TypeScript loader thread, no esbuild
// service), so the process that forks stays small. The gateway sends fully prepared spawn specs
// (spawn-spec.ts). The wire format is pty-host-wire.ts's (kept in step with it by
// pty-host.test.ts, which drives this file end to end).
//
// Channel: fd 3, a unix socketpair set up by the gateway, carrying length-prefixed binary frames
// `u32 length | u8 type | u32 id | payload` (length counts type + id + payload).
import { execFile, spawn as spawnChild } from 'node:child_process';
import { accessSync, closeSync, constants as fsConstants, openSync, readdirSync, readFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { availableParallelism, constants as osConstants } from 'node:os';
import { setImmediate } from 'node:timers';

const T = {
  // gateway → host
  spawn: 1,
  started: 9,
  measure: 8,
  // host → gateway
  ready: 100,
  spawned: 101,
  spawnFailed: 102,
  exit: 104,
  measured: 106,
  measureFailed: 107,
};

/**
 * Shells still starting up (forked, nothing printed yet) beyond which no new one is forked. A
 * shell's start-up (bash, its profile, kubectl completion) is CPU-bound; 200 of them at once on a
 * 2-core host made the load average 40-50, and the kernel shares the CPU among their scheduling
 * groups (each pty is a session, so an autogroup), so this process and every open learner's shell
 * got a few percent of it: echo p99 0.5-0.6 s. A few at a time take the same CPU in total. The
 * gateway may pass another number (first argument). The gateway sees the output, so it tells
 * when a shell first printed (`started`).
 */
const maxStarting = Math.max(1, Number(process.argv[2]) || availableParallelism());
/** A shell that prints nothing (a kubectl exec waiting for input) stops counting as starting after this. */
const startingTimeoutMs = 2000;
let startingCount = 0;

/**
 * Descriptors this process inherited without close-on-exec, other than its channel: the gateway
 * holds every open pty's master end, and a host started again after a crash inherits those. Its
 * shells must never get another learner's terminal, so they are closed before anything is forked.
 * Everything Node opens itself is close-on-exec, so only inherited descriptors lack the flag.
 */
/** O_CLOEXEC as /proc/self/fdinfo shows it (Linux; Node's fs.constants lacks it). */
const linuxCloseOnExec = 0o2000000;

function closeInheritedDescriptors() {
  for (const name of readdirSync('/proc/self/fd')) {
    const fd = Number(name);
    if (!Number.isInteger(fd) || fd <= 3) continue;
    try {
      const flags = /^flags:\s*([0-7]+)/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'));
      if (flags && (parseInt(flags[1] ?? '0', 8) & linuxCloseOnExec) === 0) closeSync(fd);
    } catch {
      // gone meanwhile (the directory listing's own descriptor)
    }
  }
}
closeInheritedDescriptors();

const channel = new Socket({ fd: 3, readable: true, writable: true });
/**
 * Put on each shell's fd 3: the channel itself is inherited by this process without close-on-exec
 * (Node cannot set the flag), and a shell holding it could forge frames.
 */
const devNull = openSync('/dev/null', 'r+');

/**
 * The pty's slave end becomes the shell's controlling terminal through util-linux's `setsid
 * --ctty` (setsid(2), then TIOCSCTTY on stdin), which Node's spawn cannot do. `sh` sets the line
 * discipline as node-pty's forkpty does (UTF-8 aware erase, any key restarts output), then
 * becomes the shell: the pid the gateway knows is the shell's.
 */
const shellPrelude = 'stty iutf8 ixany imaxbel 2>/dev/null; exec "$0" "$@"';
/** Found once, on this process's PATH (a spec's PATH is the shell's, which may differ). */
const setsidPath = ['/usr/bin', '/bin', ...(process.env.PATH ?? '').split(':')].map((dir) => `${dir}/setsid`).find((file) => {
  try {
    accessSync(file, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
});

/**
 * @param {number} type
 * @param {number} id
 * @param {Buffer} [payload]
 */
function send(type, id, payload) {
  const body = payload ?? Buffer.alloc(0);
  const head = Buffer.allocUnsafe(9);
  head.writeUInt32BE(5 + body.length, 0);
  head.writeUInt8(type, 4);
  head.writeUInt32BE(id, 5);
  channel.write(body.length > 0 ? Buffer.concat([head, body]) : head);
}

/**
 * @typedef {object} Hosted
 * @property {import('node:child_process').ChildProcess} child
 * @property {ReturnType<typeof setTimeout> | undefined} starting set until the shell's first output
 */

/** @type {Map<number, Hosted>} */
const hosted = new Map();

function spawn(/** @type {number} */ id, /** @type {Buffer} */ payload) {
  /** @type {number | undefined} */
  let slave;
  try {
    /** @type {{ file: string; args: string[]; env: Record<string, string>; cwd: string; tty: string }} */
    const spec = JSON.parse(payload.toString('utf8'));
    if (!/^\/dev\/pts\/\d+$/.test(spec.tty)) throw new Error(`not a pty: ${spec.tty}`);
    const started = process.hrtime.bigint();
    // O_NOCTTY: this process is a session leader and must not take the terminal for itself.
    slave = openSync(spec.tty, fsConstants.O_RDWR | fsConstants.O_NOCTTY);
    const env = { ...spec.env, TERM: 'xterm-256color', PWD: spec.cwd };
    if (!setsidPath) throw new Error('setsid (util-linux) was not found on PATH: it gives each shell its terminal');
    const child = spawnChild(setsidPath, ['--ctty', '/bin/sh', '-c', shellPrelude, spec.file, ...spec.args], {
      stdio: [slave, slave, slave, devNull],
      cwd: spec.cwd,
      env,
    });
    const forkSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    closeSync(slave);
    slave = undefined;
    if (child.pid === undefined) {
      // Not started (no setsid, a missing cwd): Node reports why on 'error', a turn later.
      child.once('error', (error) => send(T.spawnFailed, id, Buffer.from(`could not start the shell: ${error.message}`, 'utf8')));
      return;
    }
    /** @type {Hosted} */
    const h = { child, starting: undefined };
    hosted.set(id, h);
    startingCount += 1;
    h.starting = setTimeout(() => shellStarted(h), startingTimeoutMs);
    child.once('exit', (code, signal) => {
      if (h.starting) shellStarted(h);
      hosted.delete(id);
      const out = Buffer.allocUnsafe(8);
      out.writeInt32BE(code ?? 0, 0);
      out.writeInt32BE(signal ? (osConstants.signals[signal] ?? 0) : 0, 4);
      send(T.exit, id, out);
    });
    const reply = Buffer.allocUnsafe(12);
    reply.writeUInt32BE(child.pid, 0);
    reply.writeDoubleBE(forkSeconds, 4);
    send(T.spawned, id, reply);
  } catch (error) {
    if (slave !== undefined) closeSync(slave);
    send(T.spawnFailed, id, Buffer.from(error instanceof Error ? error.message : String(error), 'utf8'));
  }
}

/** `du` of a learner's home (home-usage-watcher.ts): forked here too, not from the gateway. */
function measure(/** @type {number} */ id, /** @type {Buffer} */ payload) {
  execFile('du', ['-s', '-x', '-P', '-B1', payload.toString('utf8')], { timeout: 60_000 }, (error, stdout) => {
    // du exits 1 when some entry vanished or was unreadable; its total still counts the rest.
    const bytes = Number(stdout.split('\t')[0]);
    if (Number.isFinite(bytes) && stdout.length > 0) {
      const out = Buffer.allocUnsafe(8);
      out.writeDoubleBE(bytes, 0);
      send(T.measured, id, out);
    } else send(T.measureFailed, id, Buffer.from(error?.message ?? 'du printed nothing', 'utf8'));
  });
}

/** The shell printed something (its prompt, usually), exited, or timed out: it is up. */
function shellStarted(/** @type {Hosted} */ h) {
  clearTimeout(h.starting);
  h.starting = undefined;
  startingCount -= 1;
  scheduleSpawn();
}

/**
 * Spawn requests, one per turn of the event loop (a burst arrives in one read, and forking them all
 * back to back would hold up every open shell's output and echo until the last fork), and only
 * while fewer than `maxStarting` shells are starting up.
 * @type {{ id: number; payload: Buffer }[]}
 */
const spawnQueue = [];
let spawnScheduled = false;

function nextSpawn() {
  spawnScheduled = false;
  if (startingCount >= maxStarting) return;
  const next = spawnQueue.shift();
  if (next) spawn(next.id, next.payload);
  scheduleSpawn();
}

function scheduleSpawn() {
  if (spawnScheduled || spawnQueue.length === 0 || startingCount >= maxStarting) return;
  spawnScheduled = true;
  setImmediate(nextSpawn);
}

function handle(/** @type {number} */ type, /** @type {number} */ id, /** @type {Buffer} */ payload) {
  if (type === T.spawn) {
    // Copied: a view would keep the whole read chunk alive while it waits.
    spawnQueue.push({ id, payload: Buffer.from(payload) });
    return scheduleSpawn();
  }
  if (type === T.measure) return measure(id, payload);
  const h = hosted.get(id);
  // An exited shell has freed its start-up place already.
  if (type === T.started && h?.starting) shellStarted(h);
}

/** @type {Buffer[]} */
let pending = [];
let pendingBytes = 0;
channel.on('data', (/** @type {Buffer} */ chunk) => {
  pending.push(chunk);
  pendingBytes += chunk.length;
  let buffer = pending.length === 1 ? chunk : Buffer.concat(pending, pendingBytes);
  let offset = 0;
  while (buffer.length - offset >= 4) {
    const length = buffer.readUInt32BE(offset);
    if (buffer.length - offset - 4 < length) break;
    const type = buffer.readUInt8(offset + 4);
    const id = buffer.readUInt32BE(offset + 5);
    handle(type, id, buffer.subarray(offset + 9, offset + 4 + length));
    offset += 4 + length;
  }
  buffer = buffer.subarray(offset);
  pending = buffer.length > 0 ? [buffer] : [];
  pendingBytes = buffer.length;
});

// The gateway went away (or closed the channel): no pty may outlive it unowned.
function shutdown() {
  for (const h of hosted.values()) {
    try {
      h.child.kill('SIGHUP');
    } catch {
      // already gone
    }
  }
  setTimeout(() => {
    for (const h of hosted.values()) {
      try {
        h.child.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
    process.exit(0);
  }, 500).unref();
  if (hosted.size === 0) process.exit(0);
}
channel.on('end', shutdown);
channel.on('error', shutdown);

send(T.ready, 0);
