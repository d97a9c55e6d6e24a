import { Writable } from 'node:stream';
import { Exec, type KubeConfig, type V1Status } from '@kubernetes/client-node';
import { CheckRunError } from '../check-error';
import { toCheckRunError } from './classify-error';

export interface ExecOutput {
  stdout: string;
  stderr: string;
  exitCode: number;
}

const maxOutput = 4 * 1024 * 1024;

class Collector extends Writable {
  chunks: Buffer[] = [];
  size = 0;
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.size += chunk.length;
    if (this.size <= maxOutput) this.chunks.push(Buffer.from(chunk));
    callback();
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

/** Exit code from the exec status frame: Success → 0, NonZeroExitCode → the ExitCode cause. */
export function exitCodeOf(status: V1Status): number {
  if (status.status === 'Success') return 0;
  const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
  const code = Number(cause?.message);
  return Number.isInteger(code) ? code : 1;
}

/**
 * Runs argv in a container through client-node's `Exec` (WebSocket, channel protocol) and waits for
 * the status frame. No stdin, no tty: probes run commands that change no state (curl, fortio).
 */
export async function execInPod(
  kc: KubeConfig,
  target: { namespace: string; pod: string; container: string },
  argv: string[],
  signal: AbortSignal,
): Promise<ExecOutput> {
  const stdout = new Collector();
  const stderr = new Collector();
  const what = `running ${argv[0] ?? 'a command'} in pod ${target.namespace}/${target.pod}`;
  if (signal.aborted) throw toCheckRunError(new Error('aborted'), what, signal);
  return new Promise<ExecOutput>((resolve, reject) => {
    let settled = false;
    let socket: { close(): void } | undefined;
    const finish = (result: ExecOutput | CheckRunError) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      if (result instanceof CheckRunError) reject(result);
      else resolve(result);
    };
    const onAbort = () => {
      socket?.close();
      finish(toCheckRunError(new Error('aborted'), what, signal));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    new Exec(kc)
      .exec(target.namespace, target.pod, target.container, argv, stdout, stderr, null, false, (status) => {
        finish({ stdout: stdout.text(), stderr: stderr.text(), exitCode: exitCodeOf(status) });
      })
      .then((ws) => {
        socket = ws;
        ws.on('close', () => {
          // A socket closed without a status frame: the command's fate is unknown.
          finish(new CheckRunError('unreachable', `the exec connection closed before ${what} finished`));
        });
      })
      .catch((error: unknown) => finish(toCheckRunError(execHandshakeError(error), what, signal)));
  });
}

/** ws rejects the upgrade with "Unexpected server response: 403": keep the status for classification. */
function execHandshakeError(error: unknown): unknown {
  const message = error instanceof Error ? error.message : String((error as { message?: unknown })?.message ?? error);
  const m = /Unexpected server response: (\d{3})/.exec(message);
  if (m) return Object.assign(new Error(message), { statusCode: Number(m[1]) });
  return error;
}
