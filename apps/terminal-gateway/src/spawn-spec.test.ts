import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { kubectlExecArgs } from './spawn-spec';
import { startTestGateway, testSecret, TestTerminalClient } from './gateway-test-support';

describe('kubectl-exec targets', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gw-fake-kubectl-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('builds the kubectl exec argv, with and without a container', () => {
    const base = { kind: 'kubectl-exec' as const, kubeconfig: '/kc/env-1', namespace: 'workshop', pod: 'deploy/toolbox', command: ['tmux', 'new-session', '-A', '-s', 'learner'] };
    expect(kubectlExecArgs(base)).toEqual(['--kubeconfig', '/kc/env-1', '-n', 'workshop', 'exec', '-i', '-t', 'deploy/toolbox', '--', 'tmux', 'new-session', '-A', '-s', 'learner']);
    expect(kubectlExecArgs({ ...base, container: 'shell' })).toContain('-c');
  });

  it('runs the configured kubectl with exactly that argv and without the gateway environment', async () => {
    const argvFile = join(dir, 'argv.txt');
    const envFile = join(dir, 'env.txt');
    const fakeKubectl = join(dir, 'kubectl');
    // Records how it was called, then behaves like the shell kubectl would attach to.
    writeFileSync(fakeKubectl, `#!/bin/bash\nprintf '%s\\n' "$@" > '${argvFile}'\nenv > '${envFile}'\nexec bash --norc --noprofile\n`);
    chmodSync(fakeKubectl, 0o755);
    process.env.WORKSHOP_TOKEN_SECRET = testSecret;

    const gw = await startTestGateway({ GATEWAY_KUBECTL: fakeKubectl });
    try {
      const token = gw.token({
        env: 'env-k',
        target: { kind: 'kubectl-exec', kubeconfig: '/var/lib/workshop/kubeconfigs/env-k', namespace: 'workshop', pod: 'deploy/toolbox', container: 'toolbox', command: ['tmux', 'new-session', '-A', '-s', 'learner'] },
      });
      const client = await TestTerminalClient.connect(gw.url('env-k', token));
      client.input('echo "FAKE_$((5*5))"\r');
      await client.waitForOutput(/FAKE_25/);
      expect(readFileSync(argvFile, 'utf8').trimEnd().split('\n')).toEqual([
        '--kubeconfig', '/var/lib/workshop/kubeconfigs/env-k',
        '-n', 'workshop',
        'exec', '-i', '-t', 'deploy/toolbox',
        '-c', 'toolbox',
        '--', 'tmux', 'new-session', '-A', '-s', 'learner',
      ]);
      const env = readFileSync(envFile, 'utf8');
      expect(env).toContain('TERM=xterm-256color');
      expect(env).not.toContain('WORKSHOP_TOKEN_SECRET');
      expect(env).not.toContain('GATEWAY_');
      expect(await gw.metric('terminal_gateway_pty_spawns_total', { kind: 'kubectl-exec' })).toBe(1);
      await client.close();
    } finally {
      await gw.stop();
    }
  });

  it('refuses with spawn-failed, spawning nothing, when kubectl cannot be found', async () => {
    const gw = await startTestGateway({ GATEWAY_KUBECTL: join(dir, 'missing-kubectl') });
    try {
      const token = gw.token({ env: 'env-m', target: { kind: 'kubectl-exec', kubeconfig: '/kc', namespace: 'ns', pod: 'toolbox', command: ['bash'] } });
      await expect(TestTerminalClient.connect(gw.url('env-m', token))).rejects.toMatchObject({ status: 500, body: { error: { code: 'spawn-failed' } } });
      expect(await gw.metric('terminal_gateway_pty_spawn_failures_total', { kind: 'kubectl-exec' })).toBe(1);
      expect(await gw.metric('terminal_gateway_pty_spawns_total', { kind: 'kubectl-exec' })).toBe(0);
      expect(gw.gateway.sessions()).toEqual([]);
    } finally {
      await gw.stop();
    }
  });
});
