// The seccomp filter every local sandbox runs under (`bwrap --seccomp FD`): a deny list of system
// calls a lab shell never needs and that widen the kernel surface a hostile learner can reach.
//
// Hand-written classic BPF on purpose: no maintained npm package generates seccomp programs
// (the libseccomp bindings on npm are unmaintained native add-ons), and a deny list is a short,
// fixed program that is easier to read and test here than to take from a Python helper at start.
import { endianness } from 'node:os';

/** The architectures we have syscall tables for; anything else runs without a filter (and says so). */
export type SeccompArch = 'x86_64' | 'aarch64';

// <linux/audit.h>: AUDIT_ARCH_X86_64 = EM_X86_64 | 64BIT | LE, AUDIT_ARCH_AARCH64 = EM_AARCH64 | 64BIT | LE.
const auditArch: Record<SeccompArch, number> = { x86_64: 0xc000003e, aarch64: 0xc00000b7 };

/**
 * Refused system calls, with their numbers per architecture (x86_64 from asm/unistd_64.h, aarch64
 * from the generic asm-generic/unistd.h table; `undefined` where the call does not exist).
 * Namespaces and mounts: the sandbox is built before the filter applies, nothing inside needs more.
 */
export const refusedSyscalls: Record<string, Partial<Record<SeccompArch, number>>> = {
  mount: { x86_64: 165, aarch64: 40 },
  umount2: { x86_64: 166, aarch64: 39 },
  pivot_root: { x86_64: 155, aarch64: 41 },
  unshare: { x86_64: 272, aarch64: 97 },
  setns: { x86_64: 308, aarch64: 268 },
  fsopen: { x86_64: 430, aarch64: 430 },
  fsconfig: { x86_64: 431, aarch64: 431 },
  fsmount: { x86_64: 432, aarch64: 432 },
  fspick: { x86_64: 433, aarch64: 433 },
  move_mount: { x86_64: 429, aarch64: 429 },
  open_tree: { x86_64: 428, aarch64: 428 },
  mount_setattr: { x86_64: 442, aarch64: 442 },
  // Looking into or steering other processes.
  ptrace: { x86_64: 101, aarch64: 117 },
  process_vm_readv: { x86_64: 310, aarch64: 270 },
  process_vm_writev: { x86_64: 311, aarch64: 271 },
  kcmp: { x86_64: 312, aarch64: 272 },
  // Kernel keyrings, BPF, perf, io_uring, userfaultfd: large attack surface, no lab use.
  keyctl: { x86_64: 250, aarch64: 219 },
  add_key: { x86_64: 248, aarch64: 217 },
  request_key: { x86_64: 249, aarch64: 218 },
  bpf: { x86_64: 321, aarch64: 280 },
  perf_event_open: { x86_64: 298, aarch64: 241 },
  userfaultfd: { x86_64: 323, aarch64: 282 },
  io_uring_setup: { x86_64: 425, aarch64: 425 },
  io_uring_enter: { x86_64: 426, aarch64: 426 },
  io_uring_register: { x86_64: 427, aarch64: 427 },
  // File handles bypass path permissions.
  open_by_handle_at: { x86_64: 304, aarch64: 265 },
  name_to_handle_at: { x86_64: 303, aarch64: 264 },
  // The machine itself.
  kexec_load: { x86_64: 246, aarch64: 104 },
  kexec_file_load: { x86_64: 320, aarch64: 294 },
  init_module: { x86_64: 175, aarch64: 105 },
  finit_module: { x86_64: 313, aarch64: 273 },
  delete_module: { x86_64: 176, aarch64: 106 },
  swapon: { x86_64: 167, aarch64: 224 },
  swapoff: { x86_64: 168, aarch64: 225 },
  reboot: { x86_64: 169, aarch64: 142 },
  acct: { x86_64: 163, aarch64: 89 },
  quotactl: { x86_64: 179, aarch64: 60 },
  syslog: { x86_64: 103, aarch64: 116 },
  lookup_dcookie: { x86_64: 212, aarch64: 18 },
  vhangup: { x86_64: 153, aarch64: 58 },
  nfsservctl: { x86_64: 180, aarch64: 42 },
  iopl: { x86_64: 172 },
  ioperm: { x86_64: 173 },
  uselib: { x86_64: 134 },
};

// <linux/filter.h>, <linux/seccomp.h>
const BPF_LD_W_ABS = 0x20;
const BPF_JEQ_K = 0x15;
const BPF_JGE_K = 0x35;
const BPF_RET_K = 0x06;
const SECCOMP_RET_KILL_PROCESS = 0x80000000;
const SECCOMP_RET_ERRNO = 0x00050000;
const SECCOMP_RET_ALLOW = 0x7fff0000;
const EPERM = 1;
/** struct seccomp_data: `int nr` at 0, `__u32 arch` at 4. */
const offsetNr = 0;
const offsetArch = 4;
/** x32 system calls on x86_64 carry this bit; they are another ABI with other numbers: refused. */
const x32SyscallBit = 0x40000000;

export interface BpfInstruction {
  code: number;
  jt: number;
  jf: number;
  k: number;
}

export function seccompArchOf(nodeArch: string = process.arch): SeccompArch | undefined {
  if (nodeArch === 'x64') return 'x86_64';
  if (nodeArch === 'arm64') return 'aarch64';
  return undefined;
}

/**
 * The program: a process of another architecture (e.g. i386 via int 0x80) is killed, an x32 call or
 * a refused call gets EPERM, everything else is allowed.
 */
export function buildSeccompProgram(arch: SeccompArch): BpfInstruction[] {
  const numbers = Object.values(refusedSyscalls)
    .map((perArch) => perArch[arch])
    .filter((nr): nr is number => nr !== undefined);
  const program: BpfInstruction[] = [
    { code: BPF_LD_W_ABS, jt: 0, jf: 0, k: offsetArch },
    { code: BPF_JEQ_K, jt: 1, jf: 0, k: auditArch[arch] },
    { code: BPF_RET_K, jt: 0, jf: 0, k: SECCOMP_RET_KILL_PROCESS },
    { code: BPF_LD_W_ABS, jt: 0, jf: 0, k: offsetNr },
  ];
  const checks: { code: number; k: number }[] = [];
  if (arch === 'x86_64') checks.push({ code: BPF_JGE_K, k: x32SyscallBit });
  for (const nr of numbers) checks.push({ code: BPF_JEQ_K, k: nr });
  // After the checks come `ret ALLOW` then `ret ERRNO`; a match jumps over the rest to ERRNO.
  checks.forEach((check, i) => program.push({ code: check.code, jt: checks.length - i, jf: 0, k: check.k }));
  program.push({ code: BPF_RET_K, jt: 0, jf: 0, k: SECCOMP_RET_ALLOW });
  program.push({ code: BPF_RET_K, jt: 0, jf: 0, k: SECCOMP_RET_ERRNO | EPERM });
  if (checks.length > 255) throw new Error('seccomp program too long for 8-bit jumps');
  return program;
}

/** `struct sock_filter[]` in host byte order, as `bwrap --seccomp` reads it from its FD. */
export function encodeSeccompProgram(program: BpfInstruction[], byteOrder: 'LE' | 'BE' = endianness()): Buffer {
  const out = Buffer.alloc(program.length * 8);
  program.forEach((ins, i) => {
    const at = i * 8;
    if (byteOrder === 'LE') {
      out.writeUInt16LE(ins.code, at);
      out.writeUInt32LE(ins.k >>> 0, at + 4);
    } else {
      out.writeUInt16BE(ins.code, at);
      out.writeUInt32BE(ins.k >>> 0, at + 4);
    }
    out.writeUInt8(ins.jt, at + 2);
    out.writeUInt8(ins.jf, at + 3);
  });
  return out;
}

/** Runs the program on one (arch, nr) as the kernel would; for tests and for doctor's self-check. */
export function evaluateSeccompProgram(program: BpfInstruction[], data: { arch: number; nr: number }): number {
  let acc = 0;
  for (let pc = 0; pc < program.length; pc += 1) {
    const ins = program[pc] as BpfInstruction;
    switch (ins.code) {
      case BPF_LD_W_ABS:
        acc = ins.k === offsetArch ? data.arch : data.nr;
        break;
      case BPF_JEQ_K:
        pc += acc === ins.k ? ins.jt : ins.jf;
        break;
      case BPF_JGE_K:
        pc += acc >>> 0 >= ins.k ? ins.jt : ins.jf;
        break;
      case BPF_RET_K:
        return ins.k;
      default:
        throw new Error(`unknown BPF instruction ${ins.code}`);
    }
  }
  throw new Error('the program fell off its end');
}

export const seccompVerdicts = { allow: SECCOMP_RET_ALLOW, eperm: SECCOMP_RET_ERRNO | EPERM, kill: SECCOMP_RET_KILL_PROCESS, auditArch } as const;
