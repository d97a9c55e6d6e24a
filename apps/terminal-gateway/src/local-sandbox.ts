// The `local` terminal target: a login shell on the gateway host inside a bubblewrap sandbox,
// with a private HOME per learner and nothing else of the host that is not needed to run tools.
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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
  | { kind: 'bwrap'; bwrapPath: string; uidMapping: boolean }
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
  kubeconfig?: string;
  uidMapping: boolean;
  /** The command run inside, e.g. `['bash', '--login']`. */
  shell: string[];
}

/** The environment inside the sandbox: built from scratch, nothing of the gateway's leaks in. */
export function sandboxEnvironment(home: string, kubeconfig: string | undefined): Record<string, string> {
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
  return env;
}

/**
 * bwrap arguments for one learner shell.
 *
 * Not `--new-session`: it calls setsid(), which detaches the shell from the pty as controlling
 * terminal, so bash runs without job control (no Ctrl-C/Ctrl-Z to foreground jobs, "cannot set
 * terminal process group"). What it guards against, TIOCSTI pushing keystrokes into the
 * controlling terminal, cannot reach anyone else here: the terminal is this learner's own pty,
 * owned by the gateway and attached to nothing but this shell.
 */
export function buildSandboxArgv(input: SandboxArgvInput): string[] {
  const { layout } = input;
  const args: string[] = ['--unshare-all', '--share-net', '--die-with-parent', '--hostname', sandboxHostname];
  if (input.uidMapping) args.push('--unshare-user', '--uid', String(sandboxUid), '--gid', String(sandboxGid));
  // Without this a gateway running as root would hand the shell its full capability set.
  args.push('--cap-drop', 'ALL');
  args.push('--ro-bind', '/usr', '/usr');
  for (const [dir, kind] of Object.entries(layout.topDirs)) {
    if (kind === 'dir') args.push('--ro-bind', dir, dir);
    else args.push('--symlink', kind.symlink, dir);
  }
  if (layout.hasOpt) args.push('--ro-bind', '/opt', '/opt');
  for (const name of layout.etcEntries) args.push('--ro-bind', join('/etc', name), join('/etc', name));
  args.push('--ro-bind', join(input.identityDir, 'passwd'), '/etc/passwd');
  args.push('--ro-bind', join(input.identityDir, 'group'), '/etc/group');
  args.push('--proc', '/proc', '--dev', '/dev', '--tmpfs', '/tmp', '--tmpfs', '/run', '--dir', '/var/tmp');
  args.push('--bind', input.hostHome, sandboxHome);
  if (input.kubeconfig) args.push('--ro-bind', input.kubeconfig, sandboxKubeconfig);
  args.push('--chdir', sandboxHome, '--clearenv');
  for (const [key, value] of Object.entries(sandboxEnvironment(sandboxHome, input.kubeconfig ? sandboxKubeconfig : undefined)))
    args.push('--setenv', key, value);
  args.push('--', ...input.shell);
  return args;
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

/** Creates `<homesDir>/<key>` (0700) on first use, with a small .profile/.bashrc. Returns its path. */
export function prepareLearnerHome(homesDir: string, key: string): string {
  const homeKey = learnerHomeKeySchema.parse(key);
  mkdirSync(homesDir, { recursive: true, mode: 0o700 });
  chmodSync(homesDir, 0o700);
  const home = join(homesDir, homeKey);
  if (!existsSync(home)) {
    mkdirSync(home, { mode: 0o700 });
    writeFileSync(join(home, '.profile'), seedProfile, { mode: 0o644 });
    writeFileSync(join(home, '.bashrc'), seedBashrc, { mode: 0o644 });
  }
  chmodSync(home, 0o700);
  return home;
}

/** passwd/group naming the sandbox user, so prompts and tools show `learner`, not "I have no name!". */
export function writeSandboxIdentityFiles(homesDir: string): string {
  // Home keys match [a-z0-9-], so a dot-directory can never collide with a learner's home.
  const dir = join(homesDir, '.sandbox-identity');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(
    join(dir, 'passwd'),
    `root:x:0:0:root:/root:/usr/sbin/nologin\nlearner:x:${sandboxUid}:${sandboxGid}:Workshop learner:${sandboxHome}:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n`,
  );
  writeFileSync(join(dir, 'group'), `root:x:0:\nlearner:x:${sandboxGid}:\nnogroup:x:65534:\n`);
  return dir;
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

/**
 * Finds out once whether bwrap can build our sandbox here: first the plain probe
 * (`bwrap --ro-bind / / true`), then with a user namespace and uid mapping (which needs
 * unprivileged user namespaces when the gateway is not root).
 */
export async function probeSandbox(bwrapPath = 'bwrap'): Promise<SandboxMode> {
  const plain = await runQuietly(bwrapPath, ['--ro-bind', '/', '/', 'true']);
  if (!plain.ok) return { kind: 'unavailable', reason: `\`${bwrapPath} --ro-bind / / true\` failed: ${plain.detail || 'not runnable'}` };
  const full = ['--unshare-all', '--share-net', '--ro-bind', '/', '/', '--proc', '/proc', '--dev', '/dev'];
  const mapped = await runQuietly(bwrapPath, [...full, '--unshare-user', '--uid', String(sandboxUid), '--gid', String(sandboxGid), 'true']);
  if (mapped.ok) return { kind: 'bwrap', bwrapPath, uidMapping: true };
  const unmapped = await runQuietly(bwrapPath, [...full, 'true']);
  if (unmapped.ok) return { kind: 'bwrap', bwrapPath, uidMapping: false };
  return { kind: 'unavailable', reason: `bwrap cannot create namespaces here: ${unmapped.detail || mapped.detail}` };
}
