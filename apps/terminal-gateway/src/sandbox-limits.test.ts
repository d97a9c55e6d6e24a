// Per-shell limits: a learner who goes over one loses that process or write; the gateway and the
// other learners carry on.
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeSandbox } from './local-sandbox';
import { findSandboxTools } from './sandbox-host';
import { eventually, runInShell, startTestGateway, testSecret, TestTerminalClient, type TestGateway } from './gateway-test-support';

const sandbox = await probeSandbox();
const tools = findSandboxTools();
const sh = async (client: TestTerminalClient, command: string): Promise<string> => (await runInShell(client, command, 30_000)).trim();

/** Processes below `pid` on the host (the sandbox's whole tree). */
function descendants(pid: number): number {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  let n = 0;
  const walk = (p: number): void => {
    for (const child of children.get(p) ?? []) {
      n += 1;
      walk(child);
    }
  };
  walk(pid);
  return n;
}

describe.skipIf(sandbox.kind !== 'bwrap' || !tools.prlimit)('sandbox limits', () => {
  let gw: TestGateway;
  let alice: TestTerminalClient;
  let bob: TestTerminalClient;
  const pids = 48;

  beforeAll(async () => {
    process.env.WORKSHOP_TOKEN_SECRET = testSecret;
    gw = await startTestGateway({ GATEWAY_SANDBOX_PIDS: String(pids), GATEWAY_SANDBOX_MEMORY_MB: '256', GATEWAY_SANDBOX_FILE_SIZE_MB: '2', GATEWAY_SANDBOX_TMP_MB: '8', GATEWAY_SANDBOX_OPEN_FILES: '128' });
    alice = await TestTerminalClient.connect(gw.url('env-lim-a', gw.token({ env: 'env-lim-a', sub: 'lim-a' })));
    bob = await TestTerminalClient.connect(gw.url('env-lim-b', gw.token({ env: 'env-lim-b', sub: 'lim-b' })));
  });
  afterAll(async () => {
    await Promise.all([alice.close(), bob.close()]);
    await gw.stop();
  });

  it('shows the configured limits inside the shell', async () => {
    expect(await sh(bob, 'ulimit -u; ulimit -n; ulimit -f')).toBe(`${pids}\r\n128\r\n${2 * 1024}`);
    expect(await sh(bob, "df -k /tmp | awk 'NR==2 {print $2}'")).toBe(String(8 * 1024));
    // CPU: the default weight 10 is nice 10, for the processes and for the session's autogroup.
    expect(await sh(bob, 'nice; cat /proc/self/autogroup 2>/dev/null || echo "nice 10"')).toMatch(/^10\r\n.*nice 10$/);
  });

  it('ends a write past the file size and /tmp limits, not the shell', async () => {
    expect(await sh(bob, 'head -c 3M /dev/zero > ~/big 2>/dev/null; echo "rc=$?"; stat -c %s ~/big; rm ~/big')).toMatch(new RegExp(`rc=153\\r\\n${2 * 1024 * 1024}$`));
    expect(await sh(bob, 'for i in 1 2 3 4 5; do head -c 2M /dev/zero > /tmp/f$i 2>/dev/null || echo "full at $i"; done; rm -f /tmp/f*')).toMatch(/full at [45]/);
  });

  it('bounds a memory hog to its own process', async () => {
    expect(await sh(alice, 'python3 -c "x = bytearray(512 * 1024 * 1024)" 2>&1 | tail -1')).toBe('MemoryError');
    expect(await sh(bob, 'echo bob-still-here')).toBe('bob-still-here');
  });

  it('bounds a fork loop to its own sandbox while another learner still forks and echoes', async () => {
    const alicePid = gw.gateway.sessions().find((s) => s.environmentId === 'env-lim-a')?.pid;
    expect(alicePid).toBeDefined();
    alice.input('while :; do sleep 300 & done 2>/dev/null\r');
    // The loop hits the limit and keeps trying; it never gets past it.
    await eventually(() => descendants(alicePid as number) > pids / 2, 'the fork loop to spread', 60_000);
    await new Promise((r) => setTimeout(r, 2000));
    const tree = descendants(alicePid as number);
    // Above `pids` only by the processes outside the learner's namespace (wrapper, bwrap, its init).
    expect(tree).toBeLessThanOrEqual(pids + 4);
    expect(await sh(bob, 'sleep 0.1 & sleep 0.1 & wait; echo bob-forks')).toMatch(/Done[\s\S]*bob-forks$/);
  });
});

describe.skipIf(sandbox.kind !== 'bwrap')('home size', () => {
  let gw: TestGateway;

  beforeAll(async () => {
    process.env.WORKSHOP_TOKEN_SECRET = testSecret;
    gw = await startTestGateway({ GATEWAY_SANDBOX_HOME_MB: '1', GATEWAY_SANDBOX_HOME_CHECK_SECONDS: '1' });
  });
  afterAll(() => gw.stop());

  it('warns a learner over the home limit, then ends the shell; a new one may clean up', async () => {
    const carol = await TestTerminalClient.connect(gw.url('env-home', gw.token({ env: 'env-home', sub: 'home-c' })));
    expect(await sh(carol, 'head -c 3M /dev/urandom > ~/too-big; echo written')).toBe('written');
    const warning = await carol.waitForControl('error', 30_000);
    expect(warning).toEqual({ t: 'error', code: 'home-full', message: expect.stringMatching(/^your home uses [34] MiB of 1 MiB; delete files within 1 s or this terminal closes$/) });
    expect(await carol.closed).toEqual({ code: 4001, reason: 'your home is over its size limit' });
    const again = await TestTerminalClient.connect(gw.url('env-home', gw.token({ env: 'env-home', sub: 'home-c' })));
    expect(await sh(again, 'rm ~/too-big; echo cleaned')).toBe('cleaned');
    await again.close();
  });
});
