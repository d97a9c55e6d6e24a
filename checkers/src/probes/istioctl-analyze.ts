import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { CheckRunError } from '../check-error';
import type { AnalyzerMessage } from '../probes';

const analyzerOutputSchema = z.array(
  z.looseObject({
    code: z.string(),
    level: z.string(),
    message: z.string(),
    origin: z.string().optional(),
    documentationUrl: z.string().optional(),
  }),
);

/** istioctl exits 79 when it found issues at or above the failure threshold (not a tool failure). */
const exitAnalyzerFoundIssues = 79;

export function findOnPath(binary: string, envPath = process.env['PATH'] ?? ''): string | undefined {
  for (const dir of envPath.split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, binary);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * `istioctl analyze -n <ns> -o json` against the learner cluster (docs/check-probes.md). Returns
 * undefined when istioctl is not installed; a tool failure (any exit but 0/79) is "could not run".
 */
export async function istioctlAnalyze(
  kubeconfigPath: string,
  namespace: string,
  signal: AbortSignal,
): Promise<AnalyzerMessage[] | undefined> {
  const istioctl = findOnPath('istioctl');
  if (!istioctl) return undefined;
  const args = ['analyze', '-n', namespace, '-o', 'json', '--timeout', '30s', '--kubeconfig', kubeconfigPath, '--suppress', 'IST0102=Namespace toolbox', '--suppress', 'IST0175=*'];
  const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve, reject) => {
    execFile(istioctl, args, { signal, maxBuffer: 8 * 1024 * 1024, timeout: 35_000 }, (error, out, err) => {
      if (error && (error as { name?: string }).name === 'AbortError') {
        reject(new CheckRunError('timeout', 'istioctl analyze did not finish in time', { cause: error }));
        return;
      }
      const exit = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code: exit, stdout: out, stderr: err });
    });
  });
  if (code !== 0 && code !== exitAnalyzerFoundIssues) {
    throw new CheckRunError('unreachable', `istioctl analyze failed (exit ${code}): ${stderr.trim().split('\n').slice(-1)[0] ?? ''}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(stdout.trim() || '[]');
  } catch (cause) {
    throw new CheckRunError('internal', 'istioctl analyze printed output that is not JSON', { cause });
  }
  const parsed = analyzerOutputSchema.safeParse(json);
  if (!parsed.success) throw new CheckRunError('internal', `istioctl analyze JSON has an unexpected shape: ${parsed.error.issues[0]?.message ?? ''}`);
  return parsed.data;
}
