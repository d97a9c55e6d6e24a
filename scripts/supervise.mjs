// Keeps one service of the platform running: starts it, says when it really answers, restarts it
// with backoff when it dies, and sorts its output (JSON log lines to a file, the rest readable).
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** Waits between restarts; a service that stayed up for `stableMs` starts again from the first. */
export const defaultBackoffMs = [500, 1000, 2000, 4000, 8000, 15000, 30000];

/**
 * Says whether a TCP port can be listened on, so that a busy port is one clear sentence rather
 * than a stack trace from a child process.
 * @returns {Promise<string | undefined>} undefined when free, else why not
 */
export function portProblem(host, port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (error) =>
      resolve(error.code === 'EADDRINUSE' ? `port ${port} on ${host} is already in use` : `cannot listen on ${host}:${port} (${error.code ?? error.message})`),
    );
    server.listen(port, host, () => server.close(() => resolve(undefined)));
  });
}

function readableLogLine(name, line) {
  try {
    const entry = JSON.parse(line);
    if (typeof entry !== 'object' || entry === null || typeof entry.level !== 'number') return `${name}: ${line}`;
    const level = entry.level >= 60 ? 'fatal' : entry.level >= 50 ? 'error' : entry.level >= 40 ? 'warning' : 'info';
    const detail = entry.err?.message ? ` (${entry.err.message})` : '';
    return { level: entry.level, text: `${name}: ${level}: ${entry.msg ?? ''}${detail}`, entry };
  } catch {
    return `${name}: ${line}`;
  }
}

/**
 * Runs `command` as a supervised child.
 * @param {object} o
 * @param {string} o.name how the service is called in messages ("portal")
 * @param {string} o.command
 * @param {string[]} o.args
 * @param {string} o.cwd
 * @param {NodeJS.ProcessEnv} o.env
 * @param {string} o.readyUrl answers 2xx once the service listens and works
 * @param {string} o.readyMessage printed each time the service becomes ready
 * @param {(line: string) => void} o.print a readable line for the operator
 * @param {{ write(text: string): void } | undefined} o.logFile where JSON log lines and raw output go (undefined: to print)
 * @param {(entry: object) => void} [o.onLogEntry] every JSON log line, parsed
 * @param {(how: string) => void} [o.onFailedStart] called instead of a restart when the service dies before it was ever ready (a bad setting: restarting cannot help)
 * @param {string} [o.pidFile] rewritten with the pid of each start (operators and tests find the process there)
 * @param {number[]} [o.backoffMs]
 * @param {number} [o.stableMs]
 */
export function superviseService(o) {
  const backoffMs = o.backoffMs ?? defaultBackoffMs;
  const stableMs = o.stableMs ?? 60_000;
  let child;
  let stopping = false;
  let failures = 0;
  let restartTimer;
  let starts = 0;
  let everReady = false;
  const tail = [];

  const handleLine = (line, stream) => {
    if (!line) return;
    o.logFile?.write(`${line}\n`);
    tail.push(line);
    if (tail.length > 20) tail.shift();
    const readable = readableLogLine(o.name, line);
    if (typeof readable === 'string') {
      // Raw output: Next's banner and warnings, stack traces. Errors stay visible, chatter goes to the file.
      if (!o.logFile || stream === 'stderr') o.print(readable);
      return;
    }
    o.onLogEntry?.(readable.entry);
    if (!o.logFile) o.print(line);
    else if (readable.level >= 50) o.print(readable.text);
  };

  const pipeLines = (stream, kind) => {
    let buffered = '';
    stream.setEncoding('utf8');
    stream.on('data', (data) => {
      buffered += data;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) handleLine(line, kind);
    });
    stream.on('end', () => handleLine(buffered, kind));
  };

  const waitReady = async (current, startedAt) => {
    while (!stopping && current.exitCode === null && current.signalCode === null) {
      try {
        const res = await fetch(o.readyUrl, { signal: AbortSignal.timeout(2000) });
        if (res.ok) {
          everReady = true;
          o.print(starts > 1 ? `${o.readyMessage} (restarted, pid ${current.pid})` : o.readyMessage);
          return;
        }
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, Math.min(250, Math.max(50, Date.now() - startedAt))));
    }
  };

  const start = () => {
    starts += 1;
    const startedAt = Date.now();
    const current = spawn(o.command, o.args, { cwd: o.cwd, env: o.env, stdio: ['ignore', 'pipe', 'pipe'] });
    child = current;
    if (o.pidFile && current.pid) writeFileSync(o.pidFile, `${current.pid}\n`);
    pipeLines(current.stdout, 'stdout');
    pipeLines(current.stderr, 'stderr');
    void waitReady(current, startedAt);
    current.once('exit', (code, signal) => {
      if (stopping) return;
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      if (!everReady && o.onFailedStart) return o.onFailedStart(how);
      if (Date.now() - startedAt >= stableMs) failures = 0;
      const delay = backoffMs[Math.min(failures, backoffMs.length - 1)] ?? 1000;
      failures += 1;
      const where = o.logFile ? '' : `; last output:\n${tail.slice(-5).join('\n')}`;
      o.print(`${o.name} ${how}; restarting in ${(delay / 1000).toFixed(1)} s${where}`);
      restartTimer = setTimeout(start, delay);
    });
  };

  start();
  return {
    get pid() {
      return child?.pid;
    },
    get starts() {
      return starts;
    },
    /** Stops the service (SIGTERM, then SIGKILL after `graceMs`) and does not restart it. */
    stop(graceMs = 5000) {
      stopping = true;
      clearTimeout(restartTimer);
      const current = child;
      if (!current || current.exitCode !== null || current.signalCode !== null) return Promise.resolve();
      return new Promise((resolve) => {
        const kill = setTimeout(() => current.kill('SIGKILL'), graceMs);
        current.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        current.kill('SIGTERM');
      });
    },
  };
}
