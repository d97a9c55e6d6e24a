import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, processAlive, startTestGateway, type TestGateway, TestTerminalClient } from './gateway-test-support';

describe('terminal sessions', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ GATEWAY_LOCAL_UNSANDBOXED: 'single-user', GATEWAY_GRACE_SECONDS: '30' });
  });
  afterAll(() => gw.stop());
  const session = (env: string) => gw.gateway.sessions().find((s) => s.environmentId === env);

  it('re-attaches a returning learner to the same shell with a snapshot of the screen', async () => {
    const first = await TestTerminalClient.connect(gw.url('env-re', gw.token({ env: 'env-re' })));
    expect(await first.waitForControl('hello')).toMatchObject({ t: 'hello', role: 'learner', reattached: false, cols: 80, rows: 24 });
    first.input('export MARK=$$; echo "PID=$MARK"\r');
    const pid = (await first.waitForOutput(/PID=(\d+)/))[1];
    const ptyPid = session('env-re')?.pid;
    await first.close();
    await eventually(() => session('env-re')?.connections.length === 0, 'the learner to detach');

    const second = await TestTerminalClient.connect(gw.url('env-re', gw.token({ env: 'env-re' })));
    expect(await second.waitForControl('hello')).toMatchObject({ reattached: true });
    const snapshot = await second.waitForControl('snapshot');
    expect(snapshot.d).toContain(`PID=${pid}`);
    // The snapshot comes before any output bytes.
    expect(second.controls.map((f) => f.t)).toEqual(['hello', 'snapshot']);
    second.input('echo "AGAIN=$MARK"\r');
    expect((await second.waitForOutput(/AGAIN=(\d+)/))[1]).toBe(pid);
    expect(session('env-re')?.pid).toBe(ptyPid);
    await second.close();
  });

  it('hands the shell to a newer learner connection and closes the older with 4000', async () => {
    const older = await TestTerminalClient.connect(gw.url('env-take', gw.token({ env: 'env-take' })));
    older.input('echo "OLD_$((20+1))"\r');
    await older.waitForOutput(/OLD_21/);
    const newer = await TestTerminalClient.connect(gw.url('env-take', gw.token({ env: 'env-take' })));
    expect(await older.closed).toEqual({ code: 4000, reason: 'replaced by a newer connection' });
    expect(await newer.waitForControl('hello')).toMatchObject({ reattached: true });
    expect((await newer.waitForControl('snapshot')).d).toContain('OLD_21');
    newer.input('echo "NEW_$((20+2))"\r');
    await newer.waitForOutput(/NEW_22/);
    expect(gw.gateway.sessions().filter((s) => s.environmentId === 'env-take')).toHaveLength(1);
    await newer.close();
  });

  it('lets an observer watch but gives it no way to type', async () => {
    const learner = await TestTerminalClient.connect(gw.url('env-obs', gw.token({ env: 'env-obs', sub: 'stu' })));
    learner.input('echo "BEFORE_$((1+1))"\r');
    await learner.waitForOutput(/BEFORE_2/);
    const observer = await TestTerminalClient.connect(gw.url('env-obs', gw.token({ env: 'env-obs', sub: 'teacher', role: 'observer' })));
    expect(await observer.waitForControl('hello')).toMatchObject({ role: 'observer', reattached: false });
    expect((await observer.waitForControl('snapshot')).d).toContain('BEFORE_2');

    observer.send({ t: 'resize', cols: 20, rows: 5 });
    observer.input('echo "OBS_WROTE_$((3+4))"\r');
    await observer.waitForControl('error');
    expect(observer.controls.filter((f) => f.t === 'error')).toEqual([{ t: 'error', code: 'read-only', message: expect.any(String) }]);

    learner.input('echo "LEARNER_$((40+2))"; stty size\r');
    await learner.waitForOutput(/LEARNER_42[\s\S]*24 80/);
    await observer.waitForOutput(/LEARNER_42[\s\S]*24 80/);
    expect(learner.output).not.toContain('OBS_WROTE');
    expect(observer.output).not.toContain('OBS_WROTE');
    // The learner is told someone watches, and when they stop.
    expect(learner.controls.filter((f) => f.t === 'watchers')).toEqual([{ t: 'watchers', count: 1 }]);
    await observer.close();
    await learner.waitUntil(() => learner.controls.some((f) => f.t === 'watchers' && f.count === 0), 'watchers 0');
    await learner.close();
  });

  it('answers garbage frames with error frames and keeps the session working', async () => {
    const client = await TestTerminalClient.connect(gw.url('env-junk', gw.token({ env: 'env-junk' })));
    await client.waitForControl('hello');
    const pid = session('env-junk')?.pid;
    client.sendRaw('{"t":"inp');
    client.send({ t: 'launch-missiles' });
    client.sendRaw(Buffer.from([0, 1, 2]));
    client.send({ t: 'resize', cols: 9000, rows: 24 });
    client.send({ t: 'resize', cols: 80, rows: 0 });
    client.send({ t: 'ping' });
    await client.waitUntil(() => client.controls.some((f) => f.t === 'pong'), 'a pong');
    expect(client.controls.filter((f) => f.t === 'error').map((f) => (f.t === 'error' ? f.code : ''))).toEqual(['bad-frame', 'bad-frame', 'bad-frame', 'bad-size', 'bad-size']);
    client.input('echo "ALIVE_$((9*9))"; stty size\r');
    await client.waitForOutput(/ALIVE_81[\s\S]*24 80/);

    // A frame above 64 KiB closes this connection (1009) but not the session.
    client.send({ t: 'input', d: 'x'.repeat(70 * 1024) });
    expect((await client.closed).code).toBe(1009);
    const back = await TestTerminalClient.connect(gw.url('env-junk', gw.token({ env: 'env-junk' })));
    expect(await back.waitForControl('hello')).toMatchObject({ reattached: true });
    back.send({ t: 'resize', cols: 100, rows: 30 });
    back.input('echo "STILL_$((6*6))"; stty size\r');
    await back.waitForOutput(/STILL_36[\s\S]*30 100/);
    expect(session('env-junk')?.pid).toBe(pid);
    await back.close();
  });

  it('never hands a shell to another learner, nor keeps one whose target changed', async () => {
    const first = await TestTerminalClient.connect(gw.url('env-hand', gw.token({ env: 'env-hand', sub: 'first' })));
    first.input('export OWNER=first; echo "SET_$((1+2))"\r');
    await first.waitForOutput(/SET_3/);
    const firstPid = session('env-hand')?.pid;

    const second = await TestTerminalClient.connect(gw.url('env-hand', gw.token({ env: 'env-hand', sub: 'second' })));
    expect(await second.waitForControl('hello')).toMatchObject({ reattached: false });
    expect(await first.closed).toEqual({ code: 4001, reason: 'the terminal was replaced' });
    expect(second.controls.some((f) => f.t === 'snapshot')).toBe(false);
    second.input('echo "OWNER=[$OWNER]"\r');
    await second.waitForOutput(/OWNER=\[\]/);
    const secondPid = session('env-hand')?.pid;
    expect(secondPid).not.toBe(firstPid);

    // Same learner, but the portal now names another target: a fresh shell too.
    const moved = await TestTerminalClient.connect(gw.url('env-hand', gw.token({ env: 'env-hand', sub: 'second', target: { kind: 'local', home: 'second-new' } })));
    expect(await moved.waitForControl('hello')).toMatchObject({ reattached: false });
    expect((await second.closed).code).toBe(4001);
    expect(session('env-hand')?.pid).not.toBe(secondPid);
    await moved.close();
  });

  it('reports the shell exit and forgets the session', async () => {
    const client = await TestTerminalClient.connect(gw.url('env-exit', gw.token({ env: 'env-exit' })));
    await client.waitForControl('hello');
    client.input('exit 3\r');
    expect(await client.waitForControl('exit')).toEqual({ t: 'exit', code: 3, signal: null, reason: 'exited' });
    expect(await client.closed).toEqual({ code: 4001, reason: 'the shell exited' });
    await eventually(() => session('env-exit') === undefined, 'the session to be removed');
  });
});

describe('session lifetimes', () => {
  it('kills the pty when nobody re-attaches within the grace period', async () => {
    const gw = await startTestGateway({ GATEWAY_LOCAL_UNSANDBOXED: 'single-user', GATEWAY_GRACE_SECONDS: '0.3' });
    try {
      const client = await TestTerminalClient.connect(gw.url('env-g', gw.token({ env: 'env-g' })));
      client.input('echo "READY_$((2*4))"\r');
      await client.waitForOutput(/READY_8/);
      const pid = gw.gateway.sessions()[0]?.pid ?? 0;
      expect(processAlive(pid)).toBe(true);
      await client.close();
      await eventually(() => gw.gateway.sessions().length === 0, 'the session to end after grace');
      await eventually(() => !processAlive(pid), 'the pty process to be gone');
      expect(await gw.metric('terminal_gateway_sessions_ended_total', { reason: 'grace-expired' })).toBe(1);

      const fresh = await TestTerminalClient.connect(gw.url('env-g', gw.token({ env: 'env-g' })));
      expect(await fresh.waitForControl('hello')).toMatchObject({ reattached: false });
      expect(gw.gateway.sessions()[0]?.pid).not.toBe(pid);
      await fresh.close();
    } finally {
      await gw.stop();
    }
  });

  it('ends a session without input after the idle timeout', async () => {
    const gw = await startTestGateway({ GATEWAY_LOCAL_UNSANDBOXED: 'single-user', GATEWAY_IDLE_MINUTES: '0.005' });
    try {
      const client = await TestTerminalClient.connect(gw.url('env-idle', gw.token({ env: 'env-idle' })));
      expect(await client.waitForControl('error')).toMatchObject({ code: 'idle-timeout' });
      await client.waitForControl('exit');
      expect(await client.closed).toEqual({ code: 4001, reason: 'the terminal was idle too long' });
      await eventually(() => gw.gateway.sessions().length === 0, 'the idle session to be removed');
    } finally {
      await gw.stop();
    }
  });

  it('closes every pty when the gateway closes', async () => {
    const gw = await startTestGateway({ GATEWAY_LOCAL_UNSANDBOXED: 'single-user' });
    const client = await TestTerminalClient.connect(gw.url('env-close', gw.token({ env: 'env-close' })));
    await client.waitForControl('hello');
    const pid = gw.gateway.sessions()[0]?.pid ?? 0;
    await gw.stop();
    expect((await client.closed).code).toBe(1001);
    // The browser must not take this for the learner's shell exiting (it reconnects instead).
    expect(client.controls.find((f) => f.t === 'exit')).toMatchObject({ reason: 'gateway-shutdown' });
    expect(gw.gateway.sessions()).toEqual([]);
    await eventually(() => !processAlive(pid), 'the pty process to be gone');
  });
});
