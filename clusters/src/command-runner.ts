// Runs the host tools (docker, kind, kubectl, istioctl) with a timeout and a cancel signal, capturing
// output. Every invocation is logged as argv (never through a shell), so a log reads like a runbook.

import { spawn } from 'node:child_process';
import type { Logger } from 'pino';

export interface CommandResult {
  argv: string[];
  code: number;
  stdout: string;
  stderr: string;
  durationMs: number;
}

export interface RunOptions {
  stdin?: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Do not throw on a non-zero exit; the caller inspects `code`. */
  allowFailure?: boolean;
}

export class CommandError extends Error {
  override readonly name = 'CommandError';
  constructor(
    readonly argv: readonly string[],
    readonly reason: 'exit' | 'timeout' | 'not-found' | 'aborted' | 'spawn',
    readonly result: Partial<CommandResult>,
    message: string,
  ) {
    super(message);
  }
}

export interface CommandRunner {
  run(argv: string[], options: RunOptions): Promise<CommandResult>;
}

function tail(text: string, max = 600): string {
  const t = text.trim();
  return t.length > max ? `…${t.slice(-max)}` : t;
}

export interface ProcessCommandRunnerOptions {
  logger: Logger;
  /** Environment for the children (tests put test doubles first on PATH). Default: process.env. */
  env?: NodeJS.ProcessEnv;
}

export class ProcessCommandRunner implements CommandRunner {
  constructor(private readonly options: ProcessCommandRunnerOptions) {}

  run(argv: string[], options: RunOptions): Promise<CommandResult> {
    const [file, ...args] = argv;
    if (!file) return Promise.reject(new Error('run: empty argv'));
    const started = Date.now();
    this.options.logger.debug({ argv }, 'exec');
    return new Promise<CommandResult>((resolve, reject) => {
      if (options.signal?.aborted) {
        reject(new CommandError(argv, 'aborted', {}, `${argv.join(' ')}: aborted before start`));
        return;
      }
      const child = spawn(file, args, {
        env: this.options.env ?? process.env,
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      let settled = false;
      let ending: 'timeout' | 'aborted' | null = null;
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      const finish = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        fn();
      };
      const kill = (why: 'timeout' | 'aborted') => {
        ending = why;
        child.kill('SIGTERM');
        // A tool that ignores SIGTERM (a hung kubectl wait) still goes away.
        setTimeout(() => child.kill('SIGKILL'), 2000).unref();
      };
      const timer = setTimeout(() => kill('timeout'), options.timeoutMs);
      const onAbort = () => kill('aborted');
      options.signal?.addEventListener('abort', onAbort, { once: true });
      child.on('error', (error: NodeJS.ErrnoException) => {
        finish(() =>
          reject(
            error.code === 'ENOENT'
              ? new CommandError(argv, 'not-found', {}, `${file}: executable not found on PATH`)
              : new CommandError(argv, 'spawn', {}, `${file}: could not start: ${error.message}`),
          ),
        );
      });
      child.on('close', (code) => {
        const durationMs = Date.now() - started;
        const result: CommandResult = { argv, code: code ?? -1, stdout, stderr, durationMs };
        finish(() => {
          if (ending === 'timeout') {
            reject(new CommandError(argv, 'timeout', result, `${argv.join(' ')}: timed out after ${options.timeoutMs} ms ${tail(stderr)}`.trim()));
          } else if (ending === 'aborted') {
            reject(new CommandError(argv, 'aborted', result, `${argv.join(' ')}: aborted`));
          } else if (result.code !== 0 && !options.allowFailure) {
            reject(new CommandError(argv, 'exit', result, `${argv.join(' ')}: exit ${result.code}: ${tail(stderr || stdout)}`));
          } else {
            this.options.logger.debug({ argv, code: result.code, durationMs }, 'exec done');
            resolve(result);
          }
        });
      });
      child.stdin.on('error', () => {
        // The tool may exit without reading stdin; its exit code tells the story.
      });
      child.stdin.end(options.stdin ?? '');
    });
  }
}
