import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeFakeCgroupMount } from './cgroup-test-double';
import { GatewayConfigError } from './gateway-config';
import { buildSandboxCommand, innerShellCommand } from './local-sandbox';
import { describeHostLimitEnforcement } from './sandbox-host';
import { describeLimitEnforcement, formatLimitEnforcement, niceForCpuWeight, prlimitOptions, type SandboxLimits } from './sandbox-limits';

const limits: SandboxLimits = { pids: 64, memoryBytes: 256 * 1024 * 1024, cpuWeight: 10, openFiles: 128, fileSizeBytes: 1024, tmpBytes: 2048, homeBytes: 4096 };

describe('sandbox command', () => {
  it('wraps bwrap: cgroup, autogroup nice, seccomp FD, nice, setpriv without supplementary groups', () => {
    const command = buildSandboxCommand({
      bwrapPath: '/usr/bin/bwrap',
      bwrapArgs: (fd) => ['--seccomp', String(fd), '--', 'bash'],
      runAs: { uid: 65534, gid: 65533, setprivPath: '/usr/bin/setpriv' },
      nice: { level: 10, nicePath: '/usr/bin/nice' },
      seccompFile: '/h/.sandbox-identity/seccomp.bpf',
    });
    expect(command.file).toBe('/bin/sh');
    expect(command.args[1]).toContain('exec 3<"$seccomp"');
    expect(command.args[1]).toContain('> /proc/self/autogroup');
    expect(command.args.slice(2)).toEqual([
      'workshop-sandbox', '', '/h/.sandbox-identity/seccomp.bpf', '10',
      '/usr/bin/nice', '-n', '10',
      '/usr/bin/setpriv', '--reuid=65534', '--regid=65533', '--clear-groups', '--',
      '/usr/bin/bwrap', '--seccomp', '3', '--', 'bash',
    ]);
  });

  it('sets rlimits inside, hard = soft, then starts the relays beside the shell', () => {
    expect(prlimitOptions(limits, false)).toEqual(['--nproc=64:64', '--nofile=128:128', '--fsize=1024:1024', `--data=${256 * 1024 * 1024}:${256 * 1024 * 1024}`]);
    expect(prlimitOptions(limits, true)).toEqual(['--nofile=128:128', '--fsize=1024:1024']);
    expect(innerShellCommand(['bash', '--login'], ['--nproc=64:64'], [])).toEqual(['prlimit', '--nproc=64:64', '--', 'bash', '--login']);
    expect(innerShellCommand(['bash'], undefined, ['socat A B &'])).toEqual(['/bin/sh', '-c', 'socat A B &\nexec "$@"', 'workshop-relays', 'bash']);
  });

  it('maps CPU weight to the kernel’s nice steps, never above normal priority', () => {
    expect([niceForCpuWeight(100), niceForCpuWeight(50), niceForCpuWeight(10), niceForCpuWeight(1), niceForCpuWeight(1000)]).toEqual([0, 3, 10, 19, 0]);
  });
});

describe('limit enforcement report', () => {
  it('says how each limit is enforced, and what is not', () => {
    const lines = formatLimitEnforcement(describeLimitEnforcement(limits, { cgroup: false, prlimit: false, nice: true }));
    expect(lines).toHaveLength(7);
    expect(lines[0]).toBe('NOT enforced: pids 64 (not enforced: prlimit is missing)');
    expect(lines.find((l) => l.includes('tmpBytes'))).toMatch(/^enforced: .*bwrap --size/);
  });

  it('says cgroup v2 for pids, memory and cpu when the host delegates a cgroup, and why not otherwise', () => {
    const fake = makeFakeCgroupMount();
    try {
      const lines = describeHostLimitEnforcement({ GATEWAY_CGROUP_ROOT: fake.root, GATEWAY_CGROUP_PARENT: fake.parent });
      expect(lines.slice(0, 3).every((l) => l.startsWith('enforced:') && l.includes('cgroup v2'))).toBe(true);
      expect(lines.at(-1)).toBe(`cgroup v2: used (sessions would go under ${fake.parentDir}/sessions)`);
      const v1 = describeHostLimitEnforcement({ GATEWAY_CGROUP_ROOT: join(fake.root, 'nowhere') });
      expect(v1.slice(0, 3).some((l) => l.includes('cgroup v2'))).toBe(false);
      expect(v1.at(-1)).toMatch(/^cgroup v2: not used \(.* is not a cgroup v2 mount/);
    } finally {
      fake.cleanup();
    }
  });

  it('reads the limits from the environment for doctor, naming a bad variable', () => {
    expect(describeHostLimitEnforcement({ GATEWAY_SANDBOX_PIDS: '77' })[0]).toMatch(/pids 77 /);
    expect(() => describeHostLimitEnforcement({ GATEWAY_SANDBOX_PIDS: 'x' })).toThrow(GatewayConfigError);
  });
});
