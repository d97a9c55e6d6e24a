// The home size limit without disk quotas: a learner's home is a directory on the host disk, so the
// gateway measures it (`du`, off the event loop) when the shell starts and then periodically. Over
// the limit, the learner is told what to do; still over at the next look, the shell ends. A new
// shell may start over the limit, so the learner can clean up, under the same watch.
import { execFile } from 'node:child_process';
import type { Disposer } from './disposable-store';

/** Bytes used under `dir`, not following symlinks nor crossing into other filesystems. */
export function measureDirectoryBytes(dir: string): Promise<number> {
  return new Promise((resolve, reject) => {
    execFile('du', ['-s', '-x', '-P', '-B1', dir], { timeout: 60_000 }, (error, stdout) => {
      // du exits 1 when some entry vanished or was unreadable; its total still counts the rest.
      const bytes = Number(stdout.split('\t')[0]);
      if (Number.isFinite(bytes) && stdout.length > 0) resolve(bytes);
      else reject(error ?? new Error(`du printed nothing for ${dir}`));
    });
  });
}

export interface HomeUsageWatch {
  home: string;
  limitBytes: number;
  intervalMs: number;
  /** First look over the limit. */
  warn(usedBytes: number): void;
  /** Still over at the next look. */
  exceed(usedBytes: number): void;
  measure?: (dir: string) => Promise<number>;
}

export function watchHomeUsage(watch: HomeUsageWatch): Disposer {
  const measure = watch.measure ?? measureDirectoryBytes;
  let warned = false;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const look = async (): Promise<void> => {
    try {
      const used = await measure(watch.home);
      if (stopped) return;
      if (used <= watch.limitBytes) warned = false;
      else if (!warned) {
        warned = true;
        watch.warn(used);
      } else {
        watch.exceed(used);
        return;
      }
    } catch {
      // A home that cannot be measured now is looked at again next time.
    }
    if (!stopped) timer = setTimeout(() => void look(), watch.intervalMs);
  };
  void look();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}

export function homeFullMessage(usedBytes: number, limitBytes: number, graceSeconds: number): string {
  const mib = (n: number) => Math.ceil(n / (1024 * 1024));
  return `your home uses ${mib(usedBytes)} MiB of ${mib(limitBytes)} MiB; delete files within ${graceSeconds} s or this terminal closes`;
}
