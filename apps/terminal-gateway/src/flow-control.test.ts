import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flowControl } from './terminal-session';
import { startTestGateway, TestTerminalClient, type TestGateway } from './gateway-test-support';

// One read from the pty (node reads at most 64 KiB at a time) can land after the last check.
const slack = 64 * 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('flow control', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ GATEWAY_LOCAL_UNSANDBOXED: 'single-user' });
  });
  afterAll(() => gw.stop());

  it('keeps a `yes` flood bounded for a client that stops acknowledging, and Ctrl-C still works', async () => {
    const client = await TestTerminalClient.connect(gw.url('env-flood', gw.token({ env: 'env-flood' })));
    client.input('echo "READY_$((1+1))"\r');
    await client.waitForOutput(/READY_2/);
    client.ack();
    client.autoAck = false;
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    let unackedPeak = 0;
    const pausesBefore = await gw.metric('terminal_gateway_flow_pauses_total');

    client.input('yes\r');
    const floodUntil = Date.now() + 3000;
    while (Date.now() < floodUntil) {
      await sleep(50);
      rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
      for (const c of gw.gateway.sessions().find((s) => s.environmentId === 'env-flood')?.connections ?? []) unackedPeak = Math.max(unackedPeak, c.unacked);
    }
    const info = gw.gateway.sessions().find((s) => s.environmentId === 'env-flood');
    expect(info?.paused).toBe(true);
    expect(unackedPeak).toBeGreaterThan(flowControl.highWatermark);
    expect(unackedPeak).toBeLessThanOrEqual(flowControl.highWatermark + slack);
    expect(info?.connections[0]?.peakUnacked).toBeLessThanOrEqual(flowControl.highWatermark + slack);
    // What reached the client without an ack is bounded the same way.
    expect(client.pendingAck).toBeLessThanOrEqual(flowControl.highWatermark + slack);
    expect(rssPeak - rssBefore).toBeLessThan(150 * 1024 * 1024);
    expect(await gw.metric('terminal_gateway_flow_pauses_total')).toBeGreaterThan(pausesBefore);

    // Ctrl-C goes through while paused; once the browser catches up the shell answers.
    const interruptedAt = Date.now();
    client.input('\x03');
    client.autoAck = true;
    client.ack();
    client.input('echo "AFTER_$((3+4))"\r');
    await client.waitForOutput(/AFTER_7/, 10_000);
    // Measured at ~5 ms here; the bound is generous for a busy shared machine.
    expect(Date.now() - interruptedAt).toBeLessThan(5000);
    await client.close();
  });

  it('drops an observer that falls far behind instead of slowing the learner', async () => {
    const learner = await TestTerminalClient.connect(gw.url('env-lag', gw.token({ env: 'env-lag' })));
    await learner.waitForControl('hello');
    const observer = await TestTerminalClient.connect(gw.url('env-lag', gw.token({ env: 'env-lag', sub: 'teacher', role: 'observer' })), { autoAck: false });
    await observer.waitForControl('hello');
    learner.input("head -c 3000000 /dev/zero | tr '\\0' x; echo; echo \"FLOOD_$((5+5))\"\r");
    expect(await observer.closed).toEqual({ code: 4008, reason: 'observer fell too far behind' });
    await learner.waitForOutput(/FLOOD_10/, 20_000);
    expect((learner.output.match(/x/g) ?? []).length).toBeGreaterThanOrEqual(3_000_000);
    expect(observer.outputBytes).toBeLessThanOrEqual(flowControl.observerMaxLag + slack);
    expect(await gw.metric('terminal_gateway_observers_dropped_total')).toBe(1);
    await learner.close();
  });
});
