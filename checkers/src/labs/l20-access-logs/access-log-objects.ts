import { isReady, pollBudgets, readMeshConfig, type CheckContext, type Telemetry, type Workload } from '../../check-api';

export const labId = 'l20-access-logs';
export const telRef = (t: Telemetry) => `Telemetry ${t.metadata.namespace}/${t.metadata.name}`;

/** meshConfig's access-log settings, from ConfigMap istio-system/istio (key `mesh`). */
export async function meshLogging(ctx: Pick<CheckContext, 'cluster'>): Promise<{ accessLogFile?: string; defaultProviders?: string[] }> {
  const mesh = await readMeshConfig(ctx);
  return { ...(mesh.accessLogFile ? { accessLogFile: mesh.accessLogFile } : {}), ...(mesh.defaultProviders?.accessLogging ? { defaultProviders: mesh.defaultProviders.accessLogging } : {}) };
}

/** httpbin's Ready pod in intro (whose istio-proxy log the lab reads) and its labels. */
export async function httpbinPod(ctx: Pick<CheckContext, 'cluster'>): Promise<{ name: string | undefined; workload: Workload }> {
  const pods = await ctx.cluster.pods('intro', 'app=httpbin');
  const pod = pods.find(isReady) ?? pods[0];
  return { name: pod?.metadata?.name, workload: { namespace: 'intro', labels: pod?.metadata?.labels ?? { app: 'httpbin' } } };
}

/** A path no other request uses, so the check finds its own line. */
export const markedPath = (status: number) => `/status/${status}?check=${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;

/** One call from intro/curl to httpbin. */
export function callHttpbin(ctx: CheckContext, path: string) {
  return ctx.probes.curl('intro', 'app=curl', { url: `http://httpbin:8000${path}`, maxTimeSeconds: 5 });
}

/** httpbin's sidecar log lines since `startedMs` that mention `path`, polled until `until` holds. */
export function linesFor(ctx: CheckContext, pod: string, startedMs: number, paths: string[], until: (found: Record<string, boolean>) => boolean, timeoutMs: number = pollBudgets.propagation.timeoutMs) {
  return ctx.poll(
    async () => {
      const text = await ctx.probes.logs('intro', pod, 'istio-proxy', Math.ceil((Date.now() - startedMs) / 1000) + 5);
      return Object.fromEntries(paths.map((p) => [p, text.includes(p)]));
    },
    { until, timeoutMs, intervalMs: pollBudgets.propagation.intervalMs, passesInARow: 1 },
  );
}
