// A learner is never host root, cannot make namespaces or mounts, and runs under the seccomp filter.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeSandbox } from './local-sandbox';
import { runInShell, startTestGateway, testSecret, TestTerminalClient, type TestGateway } from './gateway-test-support';

const sandbox = await probeSandbox();
const sh = async (client: TestTerminalClient, command: string): Promise<string> => (await runInShell(client, command, 20_000)).trim();
const asRoot = process.getuid?.() === 0;

describe.skipIf(sandbox.kind !== 'bwrap')('sandbox hardening', () => {
  let gw: TestGateway;
  let client: TestTerminalClient;

  beforeAll(async () => {
    process.env.WORKSHOP_TOKEN_SECRET = testSecret;
    gw = await startTestGateway({ GATEWAY_SANDBOX_UID: '65533', GATEWAY_SANDBOX_GID: '65533' });
    client = await TestTerminalClient.connect(gw.url('env-hard', gw.token({ env: 'env-hard', sub: 'hard' })));
  });
  afterAll(async () => {
    await client.close();
    await gw.stop();
  });

  it('makes files owned by an unprivileged host uid, never root', async () => {
    expect(await sh(client, 'touch ~/made-by-learner && cp /usr/bin/true ~/suid && chmod u+s ~/suid && echo ok')).toBe('ok');
    const made = statSync(`${gw.homesDir}/hard/made-by-learner`);
    const suid = statSync(`${gw.homesDir}/hard/suid`);
    expect(made.uid).not.toBe(0);
    expect(suid.uid).not.toBe(0);
    // As root, the configured sandbox identity; otherwise the gateway's own (unprivileged) uid.
    expect(made.uid).toBe(asRoot ? 65533 : process.getuid?.());
    expect(made.gid).toBe(asRoot ? 65533 : process.getgid?.());
  });

  it('refuses new user namespaces and mounts with EPERM', async () => {
    expect(await sh(client, 'unshare -U true 2>&1; echo "rc=$?"')).toMatch(/Operation not permitted\s+rc=1$/);
    expect(await sh(client, 'unshare -r -m true 2>&1; echo "rc=$?"')).toMatch(/Operation not permitted\s+rc=1$/);
    const mount = 'import ctypes; libc = ctypes.CDLL(None, use_errno=True); r = libc.mount(b"none", b"/tmp", b"tmpfs", 0, None); print(r, ctypes.get_errno())';
    expect(await sh(client, `python3 -c '${mount}'`)).toBe('-1 1');
  });

  it('runs under the seccomp filter: calls a shell is otherwise allowed (keyctl) get EPERM', async () => {
    expect(await sh(client, 'grep "^Seccomp:" /proc/self/status')).toMatch(/Seccomp:\s+2/);
    // keyctl(KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 0) works for any unprivileged process without the filter.
    const keyctl = 'import ctypes; libc = ctypes.CDLL(None, use_errno=True); r = libc.syscall(250, 0, -3, 0); print(r, ctypes.get_errno())';
    if (process.arch === 'x64') expect(await sh(client, `python3 -c '${keyctl}'`)).toBe('-1 1');
    expect(await sh(client, 'echo still-a-working-shell')).toBe('still-a-working-shell');
  });

  it.skipIf(!asRoot)('refuses local terminals, saying why, when the sandbox uid cannot reach the homes', async () => {
    const closed = mkdtempSync(join(tmpdir(), 'gw-closed-')); // 0700, owned by root
    const other = await startTestGateway({ GATEWAY_HOMES_DIR: join(closed, 'homes') });
    try {
      expect(other.gateway.sandboxMode()).toEqual({ kind: 'unavailable', reason: expect.stringMatching(/^uid 65534 cannot pass through the directories above .*: make them searchable/) });
    } finally {
      await other.stop();
      rmSync(closed, { recursive: true, force: true });
    }
  });
});
