// Typed (or pasted) input into a program that does not read it: the gateway stops reading the
// connection once the pty has a bounded amount queued, so its memory does not grow with the flood;
// once the program reads again everything arrives.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxClientFrameBytes } from './terminal-frames';
import { eventually, startTestGateway, TestTerminalClient, type TestGateway } from './gateway-test-support';

describe('input backpressure', () => {
  let gw: TestGateway;
  const limitKb = 64;

  beforeAll(async () => {
    gw = await startTestGateway({ GATEWAY_INPUT_QUEUE_KB: String(limitKb) });
  });
  afterAll(() => gw.stop());

  it('pauses reading a connection whose pty has too much input queued, and resumes when it drains', async () => {
    const client = await TestTerminalClient.connect(gw.url('env-flood', gw.token({ env: 'env-flood' })));
    const line = `${'x'.repeat(99)}\n`;
    const frame = JSON.stringify({ t: 'input', d: line.repeat(Math.floor(maxClientFrameBytes / 2 / line.length)) });
    const frames = Math.ceil((16 * 1024 * 1024) / frame.length);
    const total = frames * (JSON.parse(frame) as { d: string }).d.length;
    // Raw mode (a canonical-mode tty drops what overflows its line buffer instead of pushing back),
    // no echo (the flood would come straight back as output); the program reads nothing for 3 s, then all of it.
    client.input(`stty raw -echo; echo raw-$((1+1)); sleep 3; head -c ${total} > /dev/null; stty sane; echo drained-$((2+2))\r`);
    await client.waitForOutput(/raw-2/); // the command's own echo reads raw-$((1+1))
    for (let i = 0; i < frames; i += 1) client.sendRaw(frame);
    const session = () => gw.gateway.sessions().find((s) => s.environmentId === 'env-flood');
    await eventually(() => session()?.input.paused === true, 'input to be paused');
    expect(await gw.metric('terminal_gateway_input_pauses_total')).toBeGreaterThanOrEqual(1);
    await client.waitForOutput(/drained-4/, 60_000);
    // Never more than the limit plus one frame queued for the pty, for ~16 MB sent.
    expect(session()?.input.peakQueued).toBeLessThanOrEqual(limitKb * 1024 + maxClientFrameBytes);
    // Resuming is noticed by a poll of the pty's queue (every 20 ms), which a loaded machine may delay past the output.
    await eventually(() => session()?.input.paused === false, 'input to resume');
    expect(await gw.metric('terminal_gateway_input_bytes_total')).toBeGreaterThanOrEqual(total);
    await client.close();
  }, 90_000);
});
