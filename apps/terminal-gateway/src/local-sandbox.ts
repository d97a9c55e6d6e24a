// The `local` terminal target: a login shell on the gateway host inside a bubblewrap sandbox,
// with a private HOME per learner and nothing else of the host that is not needed to run tools.
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { chmod, chown, lstat, mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sandboxRunDir } from './kube-api-relay';
import { learnerHomeKeySchema } from './terminal-token';

/** Where the learner's home appears inside the sandbox. */
export const sandboxHome = '/home/learner';
export const sandboxKubeconfig = `${sandboxHome}/.kube/config`;
/** The learner's ids inside the sandbox's user namespace (never root). */
export const sandboxUid = 1000;
export const sandboxGid = 1000;
export const sandboxHostname = 'workshop';

/** A colourful `learner@workshop:~/dir$ ` prompt; the escape brackets keep readline's width right. */
export const defaultPrompt = '\\[\\e[1;32m\\]\\u@\\h\\[\\e[0m\\]:\\[\\e[1;34m\\]\\w\\[\\e[0m\\]\\$ ';

/** What to exec on a pty: resolved once, then handed to node-pty. */
export interface SpawnSpec {
  file: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
}

/** How local targets run on this host, decided once at start. */
export type SandboxMode =
  | { kind: 'bwrap'; bwrapPath: string; uidMapping: boolean; disableUserns: boolean }
  | { kind: 'unsandboxed' }
  | { kind: 'unavailable'; reason: string };

// Merged-/usr systems make these symlinks into /usr; older ones keep real directories.
const systemTopDirs = ['/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'];

// A curated /etc: what shells, TLS, DNS and common tools read. Never the whole /etc: when the
// gateway runs as root, host root maps to the learner's uid inside and /etc/shadow would be readable.
const etcEntries = [
  'alternatives', 'bash.bashrc', 'bash_completion', 'bash_completion.d', 'ca-certificates', 'ca-certificates.conf',
  'debian_version', 'environment', 'gai.conf', 'host.conf', 'hosts', 'inputrc', 'ld.so.cache', 'ld.so.conf',
  'ld.so.conf.d', 'localtime', 'lsb-release', 'magic', 'mime.types', 'nanorc', 'nsswitch.conf', 'os-release',
  'profile', 'profile.d', 'protocols', 'resolv.conf', 'screenrc', 'services', 'ssl', 'terminfo', 'timezone',
  'tmux.conf', 'vim', 'xdg',
];

/** The host's layout that the sandbox argv depends on, read once at start. */
export interface HostLayout {
  /** `/bin` etc.: a symlink target (e.g. `usr/bin`), `dir`, or absent. */
  topDirs: Record<string, { symlink: string } | 'dir'>;
  etcEntries: string[];
  hasOpt: boolean;
}

export function inspectHostLayout(): HostLayout {
  const topDirs: HostLayout['topDirs'] = {};
  for (const dir of systemTopDirs) {
    try {
      const st = lstatSync(dir);
      if (st.isSymbolicLink()) topDirs[dir] = { symlink: readlinkSync(dir) };
      else if (st.isDirectory()) topDirs[dir] = 'dir';
    } catch {
      // absent on this host
    }
  }
  return {
    topDirs,
    etcEntries: etcEntries.filter((name) => existsSync(join('/etc', name))),
    hasOpt: existsSync('/opt') && statSync('/opt').isDirectory(),
  };
}

export interface SandboxArgvInput {
  layout: HostLayout;
  /** The learner's private home on the host (`<GATEWAY_HOMES_DIR>/<home>`). */
  hostHome: string;
  /** Generated passwd/group for the sandbox (see `writeSandboxIdentityFiles`). */
  identityDir: string;
  /** The session's directory (relay sockets, rewritten kubeconfig), mounted at /run/workshop. */
  sessionDir?: string;
  /** The kubeconfig file to show as ~/.kube/config (already rewritten for the relays). */
  kubeconfig?: string;
  /** More variables for the shell (the relayed ingress: GATEWAY_URL...). */
  extraEnv?: Record<string, string>;
  uidMapping: boolean;
  /** Forbid user namespaces inside (bwrap >= 0.8; needs uidMapping). */
  disableUserns: boolean;
  /** Size of the /tmp tmpfs. */
  tmpBytes: number;
  /** The FD the seccomp program is readable on, opened by the spawn wrapper. */
  seccompFd?: number;
  /** The command run inside, e.g. `['bash', '--login']`. */
  shell: string[];
}

/** The environment inside the sandbox: built from scratch, nothing of the gateway's leaks in. */
export function sandboxEnvironment(home: string, kubeconfig: string | undefined, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {
    HOME: home,
    USER: 'learner',
    LOGNAME: 'learner',
    SHELL: '/bin/bash',
    TERM: 'xterm-256color',
    COLORTERM: 'truecolor',
    LANG: 'C.UTF-8',
    PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    PS1: defaultPrompt,
  };
  if (kubeconfig) env.KUBECONFIG = kubeconfig;
  return { ...env, ...extra };
}

/**
 * bwrap arguments for one learner shell.
 *
 * Its own network namespace (only loopback): a learner's listening port is reachable from nowhere
 * but their own sandbox, and the host's loopback services (portal, gateway) are out of reach. The
 * cluster's API server and ingress gateway come in through the relay sockets in `sessionDir` (kube-api-relay.ts).
 *
 * Not `--new-session`: it calls setsid(), which detaches the shell from the pty as controlling
 * terminal, so bash runs without job control (no Ctrl-C/Ctrl-Z to foreground jobs, "cannot set
 * terminal process group"). What it guards against, TIOCSTI pushing keystrokes into the
 * controlling terminal, cannot reach anyone else here: the terminal is this learner's own pty,
 * owned by the gateway and attached to nothing but this shell.
 */
export function buildSandboxArgv(input: SandboxArgvInput): string[] {
  const { layout } = input;
  const args: string[] = ['--unshare-all', '--die-with-parent', '--hostname', sandboxHostname];
  if (input.uidMapping) {
    args.push('--unshare-user', '--uid', String(sandboxUid), '--gid', String(sandboxGid));
    if (input.disableUserns) args.push('--disable-userns');
  }
  // Without this a gateway running as root would hand the shell its full capability set.
  args.push('--cap-drop', 'ALL');
  if (input.seccompFd !== undefined) args.push('--seccomp', String(input.seccompFd));
  args.push('--ro-bind', '/usr', '/usr');
  for (const [dir, kind] of Object.entries(layout.topDirs)) {
    if (kind === 'dir') args.push('--ro-bind', dir, dir);
    else args.push('--symlink', kind.symlink, dir);
  }
  if (layout.hasOpt) args.push('--ro-bind', '/opt', '/opt');
  for (const name of layout.etcEntries) args.push('--ro-bind', join('/etc', name), join('/etc', name));
  args.push('--ro-bind', join(input.identityDir, 'passwd'), '/etc/passwd');
  args.push('--ro-bind', join(input.identityDir, 'group'), '/etc/group');
  args.push('--proc', '/proc', '--dev', '/dev', '--size', String(input.tmpBytes), '--tmpfs', '/tmp', '--tmpfs', '/run', '--dir', '/var/tmp');
  if (input.sessionDir) args.push('--ro-bind', input.sessionDir, sandboxRunDir);
  args.push('--bind', input.hostHome, sandboxHome);
  if (input.kubeconfig) args.push('--ro-bind', input.kubeconfig, sandboxKubeconfig);
  args.push('--chdir', sandboxHome, '--clearenv');
  for (const [key, value] of Object.entries(sandboxEnvironment(sandboxHome, input.kubeconfig ? sandboxKubeconfig : undefined, input.extraEnv)))
    args.push('--setenv', key, value);
  args.push('--', ...input.shell);
  return args;
}

/** What wraps bwrap on the host, and what runs inside it before the learner's shell. */
export interface SandboxCommandInput {
  bwrapPath: string;
  bwrapArgs: (seccompFd: number | undefined) => string[];
  /** Set when the gateway runs as root: the sandbox's unprivileged host identity (setpriv). */
  runAs?: { uid: number; gid: number; setprivPath: string };
  /** `nice` level, when CPU share is not set by a cgroup. */
  nice?: { level: number; nicePath: string };
  /** The seccomp program file, opened by the wrapper on FD 3 for `bwrap --seccomp 3`. */
  seccompFile?: string;
  /** `cgroup.procs` of the sandbox's own cgroup; the wrapper moves itself there before exec. */
  cgroupProcs?: string;
}

export const seccompFd = 3;

/**
 * The whole spawn: `/bin/sh -c WRAPPER` (join the cgroup, lower the priority of its session's
 * autogroup, open the seccomp program as FD 3) → `nice` → `setpriv --reuid/--regid
 * --clear-groups` (root's supplementary groups included) → bwrap.
 *
 * The autogroup: node-pty starts every pty in a session of its own, and with the kernel's
 * autogroup scheduling (on by default) each session is one scheduling group, so `nice` alone
 * would only rank a learner's processes among themselves, never below the gateway.
 */
export function buildSandboxCommand(input: SandboxCommandInput): { file: string; args: string[] } {
  const wrapper = [
    'cgroup=$1; seccomp=$2; niceness=$3; shift 3',
    'if [ -n "$cgroup" ]; then echo $$ > "$cgroup" || exit 126; fi',
    'if [ -n "$niceness" ] && [ -w /proc/self/autogroup ]; then echo "$niceness" > /proc/self/autogroup 2>/dev/null; fi',
    `if [ -n "$seccomp" ]; then exec ${seccompFd}<"$seccomp" || exit 126; fi`,
    'exec "$@"',
  ].join('\n');
  const chain: string[] = [];
  if (input.nice) chain.push(input.nice.nicePath, '-n', String(input.nice.level));
  if (input.runAs) chain.push(input.runAs.setprivPath, `--reuid=${input.runAs.uid}`, `--regid=${input.runAs.gid}`, '--clear-groups', '--');
  chain.push(input.bwrapPath, ...input.bwrapArgs(input.seccompFile ? seccompFd : undefined));
  const niceness = input.nice ? String(input.nice.level) : '';
  return { file: '/bin/sh', args: ['-c', wrapper, 'workshop-sandbox', input.cgroupProcs ?? '', input.seccompFile ?? '', niceness, ...chain] };
}

/**
 * What bwrap runs: rlimits first (so they bind everything after, inside this sandbox's user
 * namespace), then the API relays in the background, then the learner's shell.
 */
export function innerShellCommand(shell: string[], prlimit: string[] | undefined, relayCommands: string[]): string[] {
  const limited = prlimit ? ['prlimit', ...prlimit, '--'] : [];
  if (relayCommands.length === 0) return [...limited, ...shell];
  return [...limited, '/bin/sh', '-c', `${relayCommands.join('\n')}\nexec "$@"`, 'workshop-relays', ...shell];
}

const seedBashrc = `# Created by the workshop terminal gateway on first use; yours to edit.
alias k=kubectl
if command -v kubectl >/dev/null 2>&1; then
  source <(kubectl completion bash 2>/dev/null)
  complete -o default -F __start_kubectl k
fi
PS1='${defaultPrompt}'
`;
const seedProfile = `# Login shells read this file; it hands over to ~/.bashrc.
[ -f "$HOME/.bashrc" ] && . "$HOME/.bashrc"
`;

/** The host identity sandboxes run as: set when the gateway is root, otherwise the gateway's own. */
export type SandboxOwner = { uid: number; gid: number } | undefined;

/**
 * Creates `<homesDir>/<key>` (0700, owned by the sandbox's host uid) on first use, with a small
 * .profile/.bashrc. `homesDir` is 0711: the sandbox's unprivileged uid must pass through it to
 * reach its own home, but cannot list the others. Returns the home's path.
 */
export async function prepareLearnerHome(homesDir: string, key: string, owner: SandboxOwner): Promise<string> {
  const homeKey = learnerHomeKeySchema.parse(key);
  await mkdir(homesDir, { recursive: true, mode: 0o711 });
  await chmod(homesDir, 0o711);
  const home = join(homesDir, homeKey);
  let created = false;
  try {
    await mkdir(home, { mode: 0o700 });
    created = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    if (!(await lstat(home)).isDirectory()) throw new Error(`${home} exists and is not a directory`);
  }
  if (created) {
    await writeFile(join(home, '.profile'), seedProfile, { mode: 0o644 });
    await writeFile(join(home, '.bashrc'), seedBashrc, { mode: 0o644 });
  }
  await chmod(home, 0o700);
  if (owner && created) {
    // Just the three entries made above: chown them in place. A `chown` child process would be a
    // fork of the whole gateway (as costly as a pty's) for every new learner.
    for (const path of [join(home, '.profile'), join(home, '.bashrc'), home]) await chown(path, owner.uid, owner.gid);
  } else if (owner && (await stat(home)).uid !== owner.uid) await chownTree(home, owner);
  return home;
}

/** Gives a home (made before homes were owned by the sandbox uid, or just seeded) to that uid. */
async function chownTree(dir: string, owner: { uid: number; gid: number }): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    // `chown -R -P` never follows a learner's symlinks out of the home.
    execFile('chown', ['-R', '-P', `${owner.uid}:${owner.gid}`, dir], { timeout: 60_000 }, (error) => (error ? reject(error) : resolve()));
  });
}

/** passwd/group naming the sandbox user, so prompts and tools show `learner`, not "I have no name!". */
export function writeSandboxIdentityFiles(homesDir: string): string {
  // Home keys match [a-z0-9-], so a dot-directory can never collide with a learner's home.
  mkdirSync(homesDir, { recursive: true, mode: 0o711 });
  chmodSync(homesDir, 0o711);
  const dir = join(homesDir, '.sandbox-identity');
  mkdirSync(dir, { recursive: true, mode: 0o711 });
  chmodSync(dir, 0o711);
  writeFileSync(
    join(dir, 'passwd'),
    `root:x:0:0:root:/root:/usr/sbin/nologin\nlearner:x:${sandboxUid}:${sandboxGid}:Workshop learner:${sandboxHome}:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n`,
    { mode: 0o644 },
  );
  writeFileSync(join(dir, 'group'), `root:x:0:\nlearner:x:${sandboxGid}:\nnogroup:x:65534:\n`, { mode: 0o644 });
  for (const name of ['passwd', 'group']) chmodSync(join(dir, name), 0o644);
  return dir;
}

/** The per-session directory (relay sockets, kubeconfig), owned by the sandbox uid. */
export function sessionRunDirPath(homesDir: string, sessionKey: string): string {
  return join(homesDir, '.sandbox-run', sessionKey);
}

export async function prepareSessionRunDir(homesDir: string, sessionKey: string, owner: SandboxOwner): Promise<string> {
  const parent = join(homesDir, '.sandbox-run');
  await mkdir(parent, { recursive: true, mode: 0o711 });
  await chmod(parent, 0o711);
  const dir = sessionRunDirPath(homesDir, sessionKey);
  await mkdir(dir, { mode: 0o700 });
  if (owner) await chown(dir, owner.uid, owner.gid);
  return dir;
}

/** Sets up the seccomp program file the spawn wrapper opens (readable by root / the gateway user only). */
export function writeSeccompFile(homesDir: string, program: Buffer): string {
  const file = join(homesDir, '.sandbox-identity', 'seccomp.bpf');
  writeFileSync(file, program, { mode: 0o600 });
  chmodSync(file, 0o600);
  return file;
}

function runQuietly(file: string, args: string[]): Promise<{ ok: boolean; detail: string }> {
  return new Promise((resolve) => {
    // A minimal environment on purpose; the cast only satisfies Next's stricter ProcessEnv typing.
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin' } as unknown as NodeJS.ProcessEnv;
    execFile(file, args, { timeout: 10_000, env }, (error, _stdout, stderr) => {
      resolve({ ok: !error, detail: (stderr || (error ? error.message : '')).trim() });
    });
  });
}

/** Whether the sandbox identity can pass through every directory down to `dir` (bwrap needs to). */
export async function sandboxIdentityCanReach(dir: string, runAs: { uid: number; gid: number; setprivPath: string }): Promise<boolean> {
  const probe = await runQuietly(runAs.setprivPath, [`--reuid=${runAs.uid}`, `--regid=${runAs.gid}`, '--clear-groups', '--', 'test', '-x', dir]);
  return probe.ok;
}

/**
 * Finds out once whether bwrap can build our sandbox here, as the identity sandboxes run as
 * (`setpriv` to `runAs` when the gateway is root): first the plain probe (`bwrap --ro-bind / / true`),
 * then with a private network and a user namespace with uid mapping (which needs unprivileged user
 * namespaces), then whether `--disable-userns` is supported (bwrap >= 0.8).
 */
export async function probeSandbox(bwrapPath = 'bwrap', runAs?: { uid: number; gid: number; setprivPath: string }): Promise<SandboxMode> {
  const prefix = runAs ? [`--reuid=${runAs.uid}`, `--regid=${runAs.gid}`, '--clear-groups', '--', bwrapPath] : [];
  const run = (args: string[]) => (runAs ? runQuietly(runAs.setprivPath, [...prefix, ...args]) : runQuietly(bwrapPath, args));
  const plain = await run(['--ro-bind', '/', '/', 'true']);
  if (!plain.ok) return { kind: 'unavailable', reason: `\`${bwrapPath} --ro-bind / / true\`${runAs ? ` as uid ${runAs.uid}` : ''} failed: ${plain.detail || 'not runnable'}` };
  const full = ['--unshare-all', '--ro-bind', '/', '/', '--proc', '/proc', '--dev', '/dev'];
  const mappedArgs = [...full, '--unshare-user', '--uid', String(sandboxUid), '--gid', String(sandboxGid)];
  const locked = await run([...mappedArgs, '--disable-userns', 'true']);
  if (locked.ok) return { kind: 'bwrap', bwrapPath, uidMapping: true, disableUserns: true };
  const mapped = await run([...mappedArgs, 'true']);
  if (mapped.ok) return { kind: 'bwrap', bwrapPath, uidMapping: true, disableUserns: false };
  // A gateway running as root must never fall back to a sandbox without user namespaces: the
  // learner would be host root. (As another user, that user is all the learner can be.)
  if (runAs) return { kind: 'unavailable', reason: `bwrap cannot create a user namespace as uid ${runAs.uid}: ${mapped.detail}` };
  const unmapped = await run([...full, 'true']);
  if (unmapped.ok) return { kind: 'bwrap', bwrapPath, uidMapping: false, disableUserns: false };
  return { kind: 'unavailable', reason: `bwrap cannot create namespaces here: ${unmapped.detail || mapped.detail}` };
}
