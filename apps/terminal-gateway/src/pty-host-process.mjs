// @ts-check
// The pty host: a small child process of the gateway that owns every pty. node-pty spawns with a
// synchronous fork(); forking the ~110 MB gateway costs ~9 ms of its event loop per shell (more
// under load), forking this ~40 MB process costs a fraction of that and blocks nobody's echo.
//
// Plain JavaScript on purpose: it runs under bare `node` (no TypeScript loader thread, no esbuild
// service), so the process that forks stays small. It imports node-pty only; the gateway sends
// fully prepared spawn specs (spawn-spec.ts). The wire format is pty-host-wire.ts's (kept in step
// with it by pty-host.test.ts, which drives this file end to end).
//
// Channel: fd 3, a unix socketpair set up by the gateway, carrying length-prefixed binary frames
// `u32 length | u8 type | u32 id | payload` (length counts type + id + payload). Binary frames keep
// terminal bytes as bytes (the fork IPC channel would JSON- or V8-serialize every chunk) and the
// socket gives ordinary stream backpressure both ways.
import { execFile } from 'node:child_process';
import { Socket } from 'node:net';
import { availableParallelism } from 'node:os';
import { setImmediate } from 'node:timers';
import nodePty from 'node-pty';

const T = {
  // gateway → host
  spawn: 1,
  input: 2,
  resize: 3,
  kill: 4,
  pause: 5,
  resume: 6,
  consumed: 7,
  measure: 8,
  // host → gateway
  ready: 100,
  spawned: 101,
  spawnFailed: 102,
  output: 103,
  exit: 104,
  inputStatus: 105,
  measured: 106,
  measureFailed: 107,
};

/** Output sent but not yet taken by the gateway, beyond which the pty is not read (see pty-host-wire.ts). */
const outputWindowBytes = 128 * 1024;
const inputPollMs = 20;
/**
 * Shells still starting up (forked, nothing printed yet) beyond which no new one is forked. A
 * shell's start-up (bash, its profile, kubectl completion) is CPU-bound; 200 of them at once on a
 * 2-core host made the load average 40-50, and the kernel shares the CPU among their scheduling
 * groups (each pty is a session, so an autogroup), so this process and every open learner's shell
 * got a few percent of it: echo p99 0.5-0.6 s. A few at a time take the same CPU in total. The
 * gateway may pass another number (first argument).
 */
const maxStarting = Math.max(1, Number(process.argv[2]) || availableParallelism());
/** A shell that prints nothing (a kubectl exec waiting for input) stops counting as starting after this. */
const startingTimeoutMs = 2000;
let startingCount = 0;

const channel = new Socket({ fd: 3, readable: true, writable: true });

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
 * @property {import('node-pty').IPty} pty
 * @property {boolean} pausedByGateway
 * @property {boolean} pausedByWindow
 * @property {number} unconsumed output bytes sent, not yet consumed by the gateway
 * @property {number} inputReceived input bytes received from the gateway, in total
 * @property {number} lastQueued input bytes node-pty held at the last report
 * @property {boolean} statusScheduled
 * @property {ReturnType<typeof setInterval> | undefined} inputPoll
 * @property {ReturnType<typeof setTimeout> | undefined} starting set until the shell's first output
 */

/** @type {Map<number, Hosted>} */
const hosted = new Map();

/** Bytes node-pty still holds for the pty's input (its write queue; no public accessor in 1.1). */
function queuedInput(/** @type {import('node-pty').IPty} */ pty) {
  const queue = /** @type {{ _writeStream?: { _writeQueue?: { buffer: Buffer; offset: number }[] } }} */ (/** @type {unknown} */ (pty))._writeStream?._writeQueue;
  if (!Array.isArray(queue)) return 0;
  let n = 0;
  for (const task of queue) n += task.buffer.byteLength - task.offset;
  return n;
}

function updatePause(/** @type {Hosted} */ h) {
  const shouldPause = h.pausedByGateway || h.pausedByWindow;
  if (shouldPause) h.pty.pause();
  else h.pty.resume();
}

/** Tells the gateway how much input arrived and how much the pty has not taken yet (input backpressure). */
function reportInput(/** @type {number} */ id, /** @type {Hosted} */ h) {
  h.statusScheduled = false;
  const queued = queuedInput(h.pty);
  h.lastQueued = queued;
  const payload = Buffer.allocUnsafe(16);
  payload.writeDoubleBE(h.inputReceived, 0);
  payload.writeDoubleBE(queued, 8);
  send(T.inputStatus, id, payload);
  if (queued > 0 && !h.inputPoll)
    h.inputPoll = setInterval(() => {
      const now = queuedInput(h.pty);
      if (now !== h.lastQueued) reportInput(id, h);
      if (now === 0 && h.inputPoll) {
        clearInterval(h.inputPoll);
        h.inputPoll = undefined;
      }
    }, inputPollMs);
}

function spawn(/** @type {number} */ id, /** @type {Buffer} */ payload) {
  /** @type {{ file: string; args: string[]; env: Record<string, string>; cwd: string; cols: number; rows: number }} */
  let spec;
  try {
    spec = JSON.parse(payload.toString('utf8'));
    const started = process.hrtime.bigint();
    // encoding null: output stays bytes; the gateway decodes it (it is split across frames anyway).
    const pty = nodePty.spawn(spec.file, spec.args, { name: 'xterm-256color', cols: spec.cols, rows: spec.rows, cwd: spec.cwd, env: spec.env, encoding: null });
    const forkSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    /** @type {Hosted} */
    const h = { pty, pausedByGateway: false, pausedByWindow: false, unconsumed: 0, inputReceived: 0, lastQueued: 0, statusScheduled: false, inputPoll: undefined, starting: undefined };
    hosted.set(id, h);
    startingCount += 1;
    h.starting = setTimeout(() => shellStarted(h), startingTimeoutMs);
    pty.onData((data) => {
      if (h.starting) shellStarted(h);
      const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      send(T.output, id, bytes);
      h.unconsumed += bytes.length;
      if (!h.pausedByWindow && h.unconsumed > outputWindowBytes) {
        h.pausedByWindow = true;
        updatePause(h);
      }
    });
    pty.onExit(({ exitCode, signal }) => {
      if (h.starting) shellStarted(h);
      if (h.inputPoll) clearInterval(h.inputPoll);
      hosted.delete(id);
      const out = Buffer.allocUnsafe(8);
      out.writeInt32BE(exitCode, 0);
      out.writeInt32BE(signal ?? 0, 4);
      send(T.exit, id, out);
    });
    const reply = Buffer.allocUnsafe(12);
    reply.writeUInt32BE(pty.pid, 0);
    reply.writeDoubleBE(forkSeconds, 4);
    send(T.spawned, id, reply);
  } catch (error) {
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
  if (!h) return; // already exited: the gateway learns that from the exit frame
  switch (type) {
    case T.input:
      h.inputReceived += payload.length;
      try {
        h.pty.write(payload);
      } catch {
        // the pty is closing; its exit frame follows
      }
      if (!h.statusScheduled) {
        h.statusScheduled = true;
        setImmediate(() => reportInput(id, h));
      }
      return;
    case T.resize:
      try {
        h.pty.resize(payload.readUInt16BE(0), payload.readUInt16BE(2));
      } catch {
        // the pty is closing
      }
      return;
    case T.kill:
      try {
        h.pty.kill(payload.toString('utf8') || 'SIGHUP');
      } catch {
        // already gone
      }
      return;
    case T.pause:
      h.pausedByGateway = true;
      return updatePause(h);
    case T.resume:
      h.pausedByGateway = false;
      return updatePause(h);
    case T.consumed:
      h.unconsumed = Math.max(0, h.unconsumed - payload.readUInt32BE(0));
      if (h.pausedByWindow && h.unconsumed <= outputWindowBytes / 2) {
        h.pausedByWindow = false;
        updatePause(h);
      }
      return;
  }
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
      h.pty.kill('SIGHUP');
    } catch {
      // already gone
    }
  }
  setTimeout(() => {
    for (const h of hosted.values()) {
      try {
        h.pty.kill('SIGKILL');
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
