import { describe, expect, it } from 'vitest';
import { buildSeccompProgram, encodeSeccompProgram, evaluateSeccompProgram, refusedSyscalls, seccompArchOf, seccompVerdicts } from './seccomp-filter';

describe('seccomp program', () => {
  for (const arch of ['x86_64', 'aarch64'] as const) {
    const program = buildSeccompProgram(arch);
    const run = (nr: number, auditArch = seccompVerdicts.auditArch[arch]) => evaluateSeccompProgram(program, { arch: auditArch, nr });

    it(`${arch}: refuses every listed call with EPERM and allows the rest`, () => {
      for (const [name, numbers] of Object.entries(refusedSyscalls)) {
        const nr = numbers[arch];
        if (nr !== undefined) expect(run(nr), name).toBe(seccompVerdicts.eperm);
      }
      const allowed = { x86_64: { read: 0, write: 1, clone: 56, execve: 59 }, aarch64: { read: 63, write: 64, clone: 220, execve: 221 } }[arch];
      for (const [name, nr] of Object.entries(allowed)) expect(run(nr), name).toBe(seccompVerdicts.allow);
    });

    it(`${arch}: kills a process calling in with another architecture`, () => {
      expect(run(0, 0x40000003 /* AUDIT_ARCH_I386 */)).toBe(seccompVerdicts.kill);
    });
  }

  it('refuses x32 calls on x86_64 (another ABI, other numbers)', () => {
    expect(evaluateSeccompProgram(buildSeccompProgram('x86_64'), { arch: seccompVerdicts.auditArch.x86_64, nr: 0x40000000 + 165 })).toBe(seccompVerdicts.eperm);
  });

  it('encodes struct sock_filter: 8 bytes each, code/jt/jf/k', () => {
    const program = buildSeccompProgram('x86_64');
    const bytes = encodeSeccompProgram(program, 'LE');
    expect(bytes.length).toBe(program.length * 8);
    expect(bytes.readUInt16LE(8)).toBe(0x15); // jeq arch
    expect(bytes.readUInt32LE(12)).toBe(0xc000003e);
    expect(seccompArchOf('x64')).toBe('x86_64');
    expect(seccompArchOf('ia32')).toBeUndefined();
  });
});
