import { spawn } from 'node:child_process';
import path from 'node:path';

export interface LabScriptResult {
  ok: boolean;
  exitCode: number | null;
  /** The last part of stdout+stderr, for the learner and the logs. */
  output: string;
  timedOut: boolean;
}

const keepBytes = 16 * 1024;

/**
 * Runs a lab's setup or cleanup script on the platform host against one environment's cluster.
 * The scripts drive kubectl (and istioctl/jq), so the child gets only PATH, HOME and that cluster's
 * KUBECONFIG: nothing of the portal's own environment (secrets) leaks into it.
 */
export function runLabScript(options: {
  labDir: string;
  script: string;
  kubeconfig: string;
  timeoutMs?: number;
  env?: Record<string, string>;
}): Promise<LabScriptResult> {
  const file = path.resolve(options.labDir, options.script);
  if (!file.startsWith(path.resolve(options.labDir) + path.sep))
    return Promise.resolve({ ok: false, exitCode: null, output: `script ${options.script} is outside the lab folder`, timedOut: false });
  return new Promise((resolve) => {
    // A fresh environment on purpose; the cast only satisfies Next's stricter ProcessEnv typing.
    const env = {
      PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
      HOME: process.env.HOME ?? '/tmp',
      KUBECONFIG: options.kubeconfig,
      ...options.env,
    } as unknown as NodeJS.ProcessEnv;
    const child = spawn('bash', [file], {
      cwd: options.labDir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-keepBytes);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL'); // the whole group: kubectl children too
      } catch {
        child.kill('SIGKILL');
      }
    }, options.timeoutMs ?? 10 * 60_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ ok: false, exitCode: null, output: `${output}\n${error.message}`.trim(), timedOut });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ ok: code === 0 && !timedOut, exitCode: code, output: output.trim(), timedOut });
    });
  });
}
