import { randomBytes } from 'node:crypto';
import { appContainerName, livePods, pollBudgets, type CheckContext } from '../../check-api';
import { curlBatch, type CurlTally } from '../../probes/curl-batch';

export const requestsPerProbe = 10;

/** A path no one else requests, so app log lines can be attributed to this probe. */
export function probePath(): string {
  return `/anything/workshop-probe-${randomBytes(4).toString('hex')}`;
}

export interface VersionLogs {
  /** Log lines mentioning the probe path, per version. */
  v1: number;
  v2: number;
  pods: { v1: string[]; v2: string[] };
}

/** Counts app-container log lines that mention `marker` in every live httpbin pod of each version. */
export async function countMarkerInLogs(
  ctx: Pick<CheckContext, 'cluster' | 'probes'>,
  marker: string,
  sinceSeconds: number,
): Promise<VersionLogs> {
  const out: VersionLogs = { v1: 0, v2: 0, pods: { v1: [], v2: [] } };
  for (const version of ['v1', 'v2'] as const) {
    const pods = livePods(await ctx.cluster.pods('intro', `app=httpbin,version=${version}`));
    for (const pod of pods) {
      const name = pod.metadata?.name ?? '';
      const container = appContainerName(pod) ?? 'httpbin';
      out.pods[version].push(name);
      const text = await ctx.probes.logs('intro', name, container, sinceSeconds);
      out[version] += text.split('\n').filter((l) => l.includes(marker)).length;
    }
  }
  return out;
}

export interface MirrorProbe {
  marker: string;
  calls: CurlTally;
  logs: VersionLogs;
  logsSettled: boolean;
}

/**
 * 10 calls to httpbin from the curl pod of ns intro on a fresh path, then the app logs of v1 and v2
 * (polled briefly: a log line can trail the answer).
 */
export async function runMirrorProbe(
  ctx: Pick<CheckContext, 'cluster' | 'probes' | 'poll'>,
  until: (l: VersionLogs) => boolean,
): Promise<MirrorProbe> {
  const marker = probePath();
  const started = Date.now();
  const calls = await curlBatch(ctx, { ns: 'intro', selector: 'app=curl', url: `http://httpbin.intro:8000${marker}`, count: requestsPerProbe });
  const res = await ctx.poll(
    () => countMarkerInLogs(ctx, marker, Math.ceil((Date.now() - started) / 1000) + 5),
    { until, timeoutMs: 10_000, intervalMs: pollBudgets.propagation.intervalMs, passesInARow: 1 },
  );
  return { marker, calls, logs: res.value, logsSettled: res.ok };
}

export function describeLogs(l: VersionLogs, marker: string): string {
  return `log lines for ${marker}: v1 ${l.v1} (${l.pods.v1.join(', ') || 'no pod'}), v2 ${l.v2} (${l.pods.v2.join(', ') || 'no pod'})`;
}
