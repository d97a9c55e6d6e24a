// The pty host process end to end: spawn, echo, resize, exit, pause/resume through it; a crash
// ends the sessions it owned with a truthful reason and a new shell works after it; and opening
// many shells leaves the gateway's event loop free.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PtyHost, type PtySpawnSpec } from './pty-host-client';
import type { PtyExit, SessionPty } from './session-pty';
import { eventually, processAlive, startTestGateway, type TestGateway, TestTerminalClient } from './gateway-test-support';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const bash: PtySpawnSpec = {
  file: '/bin/bash',
  args: ['--norc', '--noprofile'],
  env: { PATH: '/usr/bin:/bin', TERM: 'xterm-256color', PS1: '$ ' },
  cwd: '/tmp',
  cols: 80,
  rows: 24,
};

/** Collects a hosted pty's output and exit. */
function watch(pty: SessionPty): { output: () => string; exit: Promise<PtyExit>; waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray> } {
  let output = '';
  pty.onData((data) => (output += data));
  const exit = new Promise<PtyExit>((resolve) => pty.onExit(resolve));
  return {
    output: () => output,
    exit,
    async waitFor(pattern, timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const match = pattern.exec(output);
        if (match) return match;
        if (Date.now() > until) throw new Error(`timed out waiting for ${pattern}; got ${JSON.stringify(output.slice(-300))}`);
        await sleep(10);
      }
    },
  };
}

describe('pty host', () => {
  const host = new PtyHost({ logger: pino({ level: 'silent' }) });
  beforeAll(() => host.start());
  afterAll(() => host.close());

  it('spawns, echoes, resizes and reports the exit code', async () => {
    const pty = await host.spawn(bash);
    expect(pty.pid).toBeGreaterThan(0);
    expect(pty.pid).not.toBe(host.pid);
    const shell = watch(pty);
    pty.write('echo "HOSTED_$((6*7))"; stty size\r');
    await shell.waitFor(/HOSTED_42[\s\S]*24 80/);
    pty.resize(120, 40);
    expect([pty.cols, pty.rows]).toEqual([120, 40]);
    pty.write('stty size\r');
    await shell.waitFor(/40 120/);
    // Multi-byte characters split across frames still arrive whole.
    pty.write('printf "\\342\\202\\254%.0s" $(seq 1 5000); echo\r');
    await shell.waitFor(/(€){5000}/);
    pty.write('exit 7\r');
    expect(await shell.exit).toEqual({ exitCode: 7, signal: undefined });
  });

  it('stops output while paused and delivers the rest after resume; input gets through while paused', async () => {
    const pty = await host.spawn(bash);
    const shell = watch(pty);
    pty.write('echo "READY_$((1+1))"\r');
    await shell.waitFor(/READY_2/);
    pty.pause();
    pty.write('seq 1 200000; echo "DONE_$((2+3))"\r');
    await sleep(500);
    const whilePaused = shell.output().length;
    await sleep(300);
    // At most the host's window (plus one read) arrived after the pause; nothing more while it lasts.
    expect(shell.output().length).toBe(whilePaused);
    expect(shell.output()).not.toContain('DONE_5');
    pty.resume();
    await shell.waitFor(/200000[\s\S]*DONE_5/, 20_000);
    pty.kill('SIGKILL');
    expect((await shell.exit).signal).toBe(9);
  });

  it("measures a directory with du, and gives its shells none of its own descriptors", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pty-host-du-'));
    try {
      writeFileSync(join(dir, 'blob'), Buffer.alloc(256 * 1024, 1));
      expect(await host.measureDirectoryBytes(dir)).toBeGreaterThanOrEqual(256 * 1024);
      await expect(host.measureDirectoryBytes(join(dir, 'missing'))).rejects.toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // The channel to the gateway (fd 3 in the host) must never reach a learner's shell.
    const pty = await host.spawn({ ...bash, args: ['-c', 'for fd in /proc/$$/fd/*; do readlink "$fd"; done; echo "LISTED_$((1+1))"'] });
    const shell = watch(pty);
    await shell.exit;
    expect(shell.output()).toContain('LISTED_2');
    expect(shell.output()).not.toContain('socket:');
  });

  it('gives the shell its pty as controlling terminal, with the line settings node-pty gives', async () => {
    const pty = await host.spawn(bash);
    const shell = watch(pty);
    pty.write('ps -o tty=,sess=,pid= -p $$; echo "PID=$$"; stty -a | tr " " "\\n" | grep -x -e iutf8 -e ixany -e imaxbel -e isig -e icanon | sort | tr "\\n" " "; echo\r');
    const [, pid] = await shell.waitFor(/PID=(\d+)/);
    expect(Number(pid)).toBe(pty.pid);
    // Its own session (setsid) on its own pts, so Ctrl-C and job control reach its foreground job.
    expect(shell.output()).toMatch(new RegExp(`pts/\\d+\\s+${pty.pid}\\s+${pty.pid}`));
    await shell.waitFor(/icanon imaxbel isig iutf8 ixany/);
    pty.write('sleep 30\r');
    await sleep(300);
    pty.write('\x03');
    pty.write('echo "AFTER_$((3*3))"\r');
    await shell.waitFor(/AFTER_9/, 5000);
    pty.kill('SIGKILL');
    expect((await shell.exit).signal).toBe(9);
  });

  it("never hands a shell another pty's master end, even from a host started after that pty was opened", async () => {
    const other = await host.spawn(bash);
    const otherShell = watch(other);
    other.write('echo "OTHER_$((1+1))"\r');
    await otherShell.waitFor(/OTHER_2/);
    // This process now holds `other`'s master end without close-on-exec (node-pty opens it so), and a
    // second host started now inherits it.
    const second = new PtyHost({ logger: pino({ level: 'silent' }) });
    try {
      // The pause before exiting: output written just before the last slave end closes can be lost
      // (the kernel may flush it on hang-up: seen once in a fresh-clone CI run on a busy machine), and this is about fds.
      const pty = await second.spawn({ ...bash, args: ['-c', 'ls -l /proc/$$/fd; echo "LISTED_$((1+1))"; sleep 0.3'] });
      const shell = watch(pty);
      await shell.waitFor(/LISTED_2/);
      await shell.exit;
      expect(shell.output()).not.toContain('ptmx');
      const fds = [...shell.output().matchAll(/ (\d+) -> /g)].map((m) => Number(m[1]));
      expect(fds).toContain(0);
      expect(fds.filter((fd) => fd > 3 && fd !== 255)).toEqual([]);
    } finally {
      await second.close();
      other.kill('SIGKILL');
      await otherShell.exit;
    }
  });

  it('reports its shells lost when it dies, and starts again for new ones', async () => {
    const pty = await host.spawn(bash);
    const shell = watch(pty);
    pty.write('echo "ALIVE_$((1+2))"\r');
    await shell.waitFor(/ALIVE_3/);
    const oldHost = host.pid ?? 0;
    process.kill(oldHost, 'SIGKILL');
    expect(await shell.exit).toEqual({ exitCode: -1, hostLost: true });
    // The shell itself is gone too.
    await eventually(() => !processAlive(pty.pid), 'the lost shell to be gone');
    const again = await host.spawn(bash);
    expect(host.pid).not.toBe(oldHost);
    const next = watch(again);
    again.write('echo "BACK_$((2+2))"\r');
    await next.waitFor(/BACK_4/);
    again.kill('SIGKILL');
    await next.exit;
  });
});

describe('gateway with the pty host', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ GATEWAY_MAX_TERMINALS: '100', GATEWAY_NEW_TERMINALS_PER_SECOND: '1000', GATEWAY_MAX_SESSIONS_PER_LEARNER: '100' });
  });
  afterAll(() => gw.stop());

  it('ends the sessions of a crashed pty host with reason pty-host-crashed; a new shell works after', async () => {
    const client = await TestTerminalClient.connect(gw.url('env-crash', gw.token({ env: 'env-crash' })));
    client.input('echo "UP_$((3+3))"\r');
    await client.waitForOutput(/UP_6/);
    const hostPid = gw.gateway.ptyHostPid() ?? 0;
    expect(hostPid).toBeGreaterThan(0);
    process.kill(hostPid, 'SIGKILL');
    expect(await client.waitForControl('exit')).toEqual({ t: 'exit', code: -1, signal: null, reason: 'pty-host-crashed' });
    expect(await client.closed).toEqual({ code: 4001, reason: 'the gateway lost the shell (its pty host crashed)' });
    await eventually(() => gw.gateway.sessions().length === 0, 'the session to be removed');
    expect(await gw.metric('terminal_gateway_sessions_ended_total', { reason: 'pty-host-crashed' })).toBe(1);

    const fresh = await TestTerminalClient.connect(gw.url('env-crash', gw.token({ env: 'env-crash' })));
    expect(await fresh.waitForControl('hello')).toMatchObject({ reattached: false });
    fresh.input('echo "AGAIN_$((4+4))"\r');
    await fresh.waitForOutput(/AGAIN_8/);
    expect(gw.gateway.ptyHostPid()).not.toBe(hostPid);
    await fresh.close();
  });

  it("keeps the gateway's event loop responsive while 50 shells open", async () => {
    const typist = await TestTerminalClient.connect(gw.url('env-typist', gw.token({ env: 'env-typist', sub: 'typist' })));
    typist.input('echo "READY_$((5+5))"\r');
    await typist.waitForOutput(/READY_10/);
    const delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();
    const shells = await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        const c = await TestTerminalClient.connect(gw.url(`env-many-${i}`, gw.token({ env: `env-many-${i}`, sub: 'many' })));
        c.input(`echo "OPEN_$((${i}+1000))"\r`);
        await c.waitForOutput(new RegExp(`OPEN_${i + 1000}`), 60_000);
        return c;
      }),
    );
    delay.disable();
    const maxMs = delay.max / 1e6;
    const p99Ms = delay.percentile(99) / 1e6;
    console.log(`event-loop delay while 50 shells opened: p99 ${p99Ms.toFixed(1)} ms, max ${maxMs.toFixed(1)} ms`);
    // The gateway and this test's 51 clients share the loop (here ~60-100 ms at most, mostly the
    // clients and the upgrades arriving together); forking the gateway 50 times used to add to it.
    // Loose on purpose (a shared, loaded machine): the open-burst bench measures it properly.
    expect(p99Ms).toBeLessThan(250);
    expect(maxMs).toBeLessThan(500);
    typist.input('echo "STILL_$((6+6))"\r');
    await typist.waitForOutput(/STILL_12/);
    await Promise.all([typist.close(), ...shells.map((c) => c.close())]);
  }, 120_000);
});

describe('GATEWAY_PTY_HOST=inline', () => {
  it('spawns in the gateway itself, as before the pty host', async () => {
    const gw = await startTestGateway({ GATEWAY_PTY_HOST: 'inline', GATEWAY_LOCAL_UNSANDBOXED: 'single-user' });
    try {
      expect(gw.gateway.ptyHostPid()).toBeUndefined();
      const client = await TestTerminalClient.connect(gw.url('env-inline', gw.token({ env: 'env-inline' })));
      client.input('echo "INLINE_$((7+7))"\r');
      await client.waitForOutput(/INLINE_14/);
      client.input('exit 2\r');
      expect(await client.waitForControl('exit')).toEqual({ t: 'exit', code: 2, signal: null, reason: 'exited' });
    } finally {
      await gw.stop();
    }
  });
});

describe('pty host shutdown', () => {
  it('hangs up the shells left and exits when the gateway closes the channel', async () => {
    const host = new PtyHost({ logger: pino({ level: 'silent' }) });
    const pty = await host.spawn(bash);
    const shell = watch(pty);
    pty.write('echo "LEFT_$((8+1))"\r');
    await shell.waitFor(/LEFT_9/);
    const hostPid = host.pid ?? 0;
    await host.close();
    expect(processAlive(hostPid)).toBe(false);
    expect(await shell.exit).toMatchObject({ hostLost: true });
    await eventually(() => !processAlive(pty.pid), 'the shell to be gone');
    await expect(host.spawn(bash)).rejects.toThrow(/shutting down/);
  });
});

describe('pty host start-up pacing', () => {
  it('forks the next shell only once fewer than the limit are still starting (nothing printed yet)', async () => {
    const host = new PtyHost({ logger: pino({ level: 'silent' }), maxStartingShells: 1 });
    await host.start();
    try {
      // A shell that takes 600 ms to print anything: the second one waits for that first output.
      const slow: PtySpawnSpec = { ...bash, file: '/bin/sh', args: ['-c', 'sleep 0.6; echo SLOW_UP; sleep 5'] };
      const started = Date.now();
      const first = host.spawn(slow);
      const second = host.spawn(bash).then((pty) => ({ pty, afterMs: Date.now() - started }));
      const firstPty = await first;
      const firstShell = watch(firstPty);
      const { pty: secondPty, afterMs } = await second;
      expect(firstShell.output()).toContain('SLOW_UP');
      expect(afterMs).toBeGreaterThanOrEqual(500);
      // A shell that exits without printing frees its place too.
      const silent = await host.spawn({ ...bash, file: '/bin/true', args: [] });
      await watch(silent).exit;
      const third = await host.spawn(bash);
      for (const pty of [firstPty, secondPty, third]) pty.kill('SIGKILL');
    } finally {
      await host.close();
    }
  });
});
