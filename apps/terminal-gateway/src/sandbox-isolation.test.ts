import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeSandbox } from './local-sandbox';
import { eventually, runInShell, startTestGateway, testSecret, TestTerminalClient, type TestGateway } from './gateway-test-support';

const sandbox = await probeSandbox();
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

const run = runInShell;

describe.skipIf(sandbox.kind !== 'bwrap')('local sandbox isolation', () => {
  let gw: TestGateway;
  let alice: TestTerminalClient;
  let bob: TestTerminalClient;

  beforeAll(async () => {
    // The gateway's own environment holds the secret; no shell may see it.
    process.env.WORKSHOP_TOKEN_SECRET = testSecret;
    gw = await startTestGateway();
    expect(gw.gateway.sandboxMode()?.kind).toBe('bwrap');
    alice = await TestTerminalClient.connect(gw.url('env-alice', gw.token({ env: 'env-alice', sub: 'alice' })));
    bob = await TestTerminalClient.connect(gw.url('env-bob', gw.token({ env: 'env-bob', sub: 'bob' })));
    await run(alice, 'echo top-secret-of-alice > ~/secret.txt');
  });
  afterAll(async () => {
    await Promise.all([alice.close(), bob.close()]);
    await gw.stop();
  });

  function hostProcessesRunning(commandLine: string): number {
    let n = 0;
    for (const pid of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
      try {
        if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim() === commandLine) n += 1;
      } catch {
        // exited meanwhile
      }
    }
    return n;
  }

  it("keeps alice's home private: on the host, and out of bob's reach", async () => {
    expect(readFileSync(`${gw.homesDir}/alice/secret.txt`, 'utf8')).toBe('top-secret-of-alice\n');
    expect(await run(alice, 'echo "$HOME"; pwd; cat ~/secret.txt')).toBe('/home/learner\r\n/home/learner\r\ntop-secret-of-alice\r\n');
    expect(await run(bob, 'ls -A /home')).toBe('learner\r\n');
    expect(await run(bob, 'cat ~/secret.txt 2>/dev/null; echo "rc=$?"')).toBe('rc=1\r\n');
    expect(await run(bob, `ls ${gw.homesDir} 2>/dev/null; cat ${gw.homesDir}/alice/secret.txt 2>/dev/null; echo "rc=$?"`)).toBe('rc=1\r\n');
    // Nowhere in bob's whole filesystem (minus the read-only /usr, /opt and /proc) is there a secret.txt.
    expect(await run(bob, "find / \\( -path /usr -o -path /opt -o -path /proc \\) -prune -o -name secret.txt -print 2>/dev/null; echo done")).toBe('done\r\n');
  });

  it("hides the platform's repository and data, and the gateway's environment", async () => {
    expect(existsSync(repoRoot)).toBe(true);
    expect(await run(bob, `ls ${repoRoot} 2>/dev/null; echo "rc=$?"`)).toBe('rc=2\r\n');
    expect(await run(bob, 'echo "[$WORKSHOP_TOKEN_SECRET]"; env | grep -c -e GATEWAY_ -e WORKSHOP_ -e VITEST')).toBe('[]\r\n0\r\n');
    expect(await run(bob, 'cat /etc/shadow 2>/dev/null; echo "rc=$?"')).toBe('rc=1\r\n');
    expect(await run(bob, 'ls /proc | grep -c "^[0-9]"')).toMatch(/^[1-9]\r\n$/); // its own few processes only
  });

  it('runs as a non-root learner on a read-only system with job control', async () => {
    expect(await run(bob, 'id -un; id -u')).toBe('learner\r\n1000\r\n');
    expect(await run(bob, 'touch /usr/bin/evil 2>&1; echo "rc=$?"')).toMatch(/Read-only file system\r\nrc=1\r\n/);
    expect(await run(bob, 'touch /tmp/scratch ~/mine && echo ok')).toBe('ok\r\n');
    // Without --new-session the shell keeps the pty as controlling terminal, so job control works.
    expect(await run(bob, 'case $- in *m*) echo monitor-on;; esac; sleep 30 & jobs; kill %1')).toMatch(/monitor-on\r\n\[1\] \d+\r\n\[1\]\+ +Running +sleep 30 &/);
  });

  it('takes even detached background jobs down with the session', async () => {
    await run(alice, 'setsid nohup sleep 4242 >/dev/null 2>&1 & echo started');
    await eventually(() => hostProcessesRunning('sleep 4242') === 1, 'the detached sleep to start');
    await gw.stop();
    await eventually(() => hostProcessesRunning('sleep 4242') === 0, 'the detached sleep to be killed');
  });
});
