// Admission over real sockets: the cap of live terminals and of new ones per second answer with a
// WebSocket close 1013 and "the platform is full, try again in N s", while open terminals keep
// working; one-time tickets are refused the second time.
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { closeCodes } from './terminal-protocol';
import { runInShell, startTestGateway, testOrigin, TestTerminalClient, UpgradeRefusedError, type TestGateway } from './gateway-test-support';

let gw: TestGateway | undefined;
afterEach(async () => {
  await gw?.stop();
  gw = undefined;
});

describe('admission', () => {
  it('refuses a terminal over the live cap with 1013 and a retry hint; open terminals keep echoing', async () => {
    gw = await startTestGateway({ GATEWAY_MAX_TERMINALS: '2' });
    const g = gw;
    const open = (n: number) => TestTerminalClient.connect(g.url(`env-adm-${n}`, g.token({ env: `env-adm-${n}` })));
    const [first, second] = [await open(1), await open(2)];
    const third = await open(3);
    const refused = await third.closed;
    expect(refused.code).toBe(closeCodes.tryAgainLater.code);
    expect(refused.reason).toMatch(/^the platform is full, try again in \d+ s$/);
    expect(third.controls).toContainEqual({ t: 'error', code: 'platform-full', message: refused.reason });
    expect(await g.metric('terminal_gateway_refusals_total', { code: 'platform-full' })).toBe(1);
    expect(g.gateway.sessions()).toHaveLength(2);
    // The preflight says the same, as HTTP the browser can read.
    const preflight = await fetch(g.url('env-adm-4', g.token({ env: 'env-adm-4' })).replace(/^ws/, 'http').replace('?', '/preflight?'));
    expect(preflight.status).toBe(503);
    expect(preflight.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(((await preflight.json()) as { error: { code: string } }).error.code).toBe('platform-full');
    expect(await runInShell(first, 'echo still-typing')).toBe('still-typing\r\n');
    // Re-attaching is never refused, even at the cap.
    const back = await TestTerminalClient.connect(g.url('env-adm-2', g.token({ env: 'env-adm-2' })));
    expect((await back.waitForControl('hello')).reattached).toBe(true);
    await Promise.all([first.close(), second.closed, back.close()]);
  });

  it('refuses more new terminals per second than configured', async () => {
    gw = await startTestGateway({ GATEWAY_NEW_TERMINALS_PER_SECOND: '2', GATEWAY_LOCAL_UNSANDBOXED: 'single-user' });
    const g = gw;
    const clients = await Promise.all([1, 2, 3, 4].map((n) => TestTerminalClient.connect(g.url(`env-rate-${n}`, g.token({ env: `env-rate-${n}` })))));
    // Two were admitted from the burst; the rest were told to come back (1 s at 2 per second).
    const outcomes = await Promise.all(clients.map((c) => Promise.race([c.waitForControl('hello').then(() => 'admitted'), c.closed.then((info) => `${info.code} ${info.reason}`)])));
    expect(outcomes.sort()).toEqual(['1013 the platform is full, try again in 1 s', '1013 the platform is full, try again in 1 s', 'admitted', 'admitted']);
    await Promise.all(clients.map((c) => c.close()));
  });
});

describe('one-time tickets', () => {
  it('refuses a ticket that already opened a terminal, but not after a preflight', async () => {
    gw = await startTestGateway({ GATEWAY_LOCAL_UNSANDBOXED: 'single-user' });
    const ticket = gw.token({ env: 'env-once' });
    const preflight = await fetch(gw.url('env-once', ticket).replace(/^ws/, 'http').replace('?', '/preflight?'), { headers: { origin: testOrigin } });
    expect(preflight.status).toBe(200);
    const first = await TestTerminalClient.connect(gw.url('env-once', ticket));
    await first.waitForControl('hello');
    const reused = await TestTerminalClient.connect(gw.url('env-once', ticket)).catch((error: unknown) => error);
    expect(reused).toBeInstanceOf(UpgradeRefusedError);
    expect((reused as UpgradeRefusedError).status).toBe(401);
    expect((reused as UpgradeRefusedError).body.error?.code).toBe('ticket-used');
    // The first connection was not disturbed.
    expect(await runInShell(first, 'echo mine')).toBe('mine\r\n');
    await first.close();
  });
});

describe('admission at arrival', () => {
  it('charges a new terminal as of when its connection arrived, not when its upgrade is handled', async () => {
    gw = await startTestGateway({ GATEWAY_NEW_TERMINALS_PER_SECOND: '2', GATEWAY_LOCAL_UNSANDBOXED: 'single-user' });
    const g = gw;
    // Two connections arrive now but send their upgrade only after the bucket would have refilled.
    const late = await Promise.all([1, 2].map(() => rawConnection(g.port)));
    const early = await Promise.all([1, 2].map((n) => TestTerminalClient.connect(g.url(`env-early-${n}`, g.token({ env: `env-early-${n}` })))));
    await Promise.all(early.map((c) => c.waitForControl('hello')));
    await new Promise((r) => setTimeout(r, 1200));
    const answers = await Promise.all(late.map((socket, i) => upgradeOn(socket, `/terminals/env-late-${i}?token=${g.token({ env: `env-late-${i}` })}`)));
    // Counted when handled, the bucket would have had 2 new slots by now; counted at arrival, none.
    for (const answer of answers) expect(answer).toContain('platform-full');
    await Promise.all(early.map((c) => c.close()));
  });
});

function rawConnection(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Sends a WebSocket upgrade on an open socket; resolves with what came back within a moment. */
function upgradeOn(socket: Socket, path: string): Promise<string> {
  return new Promise((resolve) => {
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.write(
      `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\nOrigin: ${testOrigin}\r\n\r\n`,
    );
    setTimeout(() => {
      socket.destroy();
      resolve(received);
    }, 1000);
  });
}
