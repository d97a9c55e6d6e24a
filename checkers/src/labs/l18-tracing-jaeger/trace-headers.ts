import { z } from 'zod';
import { defineCheck, finding, isReady, readMeshConfig, traceContextFor, tracingFor, type Assertion, type CheckContext, type TraceContext } from '../../check-api';
import { labId, telRef } from './trace-objects';

/** go-httpbin's `/headers`: each header (Go's canonical case) with its values; older httpbin sends one string. */
const echoSchema = z.looseObject({ headers: z.record(z.string(), z.union([z.string(), z.array(z.string())])) });
const w3c = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** The trace context the proxies of intro's curl and httpbin write, and the Telemetry that decides it. */
async function introTraceContext(ctx: CheckContext): Promise<{ client: TraceContext; server: TraceContext; telemetry: string }> {
  const [all, mesh, curl, httpbin] = await Promise.all([ctx.cluster.telemetries(), readMeshConfig(ctx), ctx.cluster.pods('intro', 'app=curl'), ctx.cluster.pods('intro', 'app=httpbin')]);
  const defaults = { defaultProviders: mesh.defaultProviders?.tracing ?? [] };
  const labels = (pods: typeof curl, app: string) => (pods.find(isReady) ?? pods[0])?.metadata?.labels ?? { app };
  const providers = mesh.extensionProviders ?? [];
  const client = tracingFor(all, { namespace: 'intro', labels: labels(curl, 'curl') }, defaults);
  const server = tracingFor(all, { namespace: 'intro', labels: labels(httpbin, 'httpbin') }, defaults);
  // The Telemetry a hint should point at: the one that applies, else one that traces elsewhere.
  const applied = client.from.at(-1)?.telemetry ?? all.find((t) => (t.spec.tracing ?? []).length > 0);
  return { client: traceContextFor(client, providers), server: traceContextFor(server, providers), telemetry: applied ? telRef(applied) : '' };
}

/**
 * Step 3: httpbin echoes what reached it from intro's curl; the sidecars must have added X-Request-Id
 * (always) and the W3C `traceparent` (only where tracing with an OpenTelemetry provider applies). A
 * missing traceparent is explained by the same tracing rule that decides whether a proxy writes one.
 */
export const traceHeaders = defineCheck({
  labId,
  stepId: 'trace-headers',
  kind: 'probe',
  async run(ctx) {
    const res = await ctx.probes.curl('intro', 'app=curl', { url: 'http://httpbin:8000/headers', maxTimeSeconds: 5 });
    const echoed = finding('L18.HEADERS_ECHOED');
    const parsed = res.httpCode === 200 ? echoSchema.safeParse(safeJson(res.body)) : undefined;
    if (!parsed?.success) {
      return [echoed.fail({ expected: 'HTTP 200 with the headers httpbin received', actual: res.httpCode === 200 ? `an answer that is not httpbin's header echo: ${res.body.slice(0, 120)}` : `HTTP ${res.httpCode} (curl exit ${res.curlExitCode})`, next: 'kubectl -n intro get pods' })];
    }
    const headers = new Map(Object.entries(parsed.data.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? (v[0] ?? '') : v]));
    const out: Assertion[] = [echoed.pass({ actual: `${headers.size} headers: ${[...headers.keys()].sort().join(', ')}` })];

    const requestId = headers.get('x-request-id');
    const rid = finding('L18.REQUEST_ID');
    out.push(requestId ? rid.pass({ actual: `X-Request-Id: ${requestId}` }) : rid.fail({ expected: 'an X-Request-Id header', actual: 'none: no sidecar handled the request', next: 'kubectl -n intro get pods -o wide' }));

    const traceparent = headers.get('traceparent') ?? '';
    const m = w3c.exec(traceparent);
    const { client, server, telemetry } = await introTraceContext(ctx);
    const reason = !client.writes ? client : !server.writes ? server : undefined;
    const f = finding('L18.TRACEPARENT', { telemetry, provider: (reason && 'provider' in reason ? reason.provider : undefined) ?? (client.writes ? client.provider : '') });
    if (m) {
      out.push(f.pass({ actual: `Traceparent: ${traceparent} (trace ${m[1]!.slice(0, 8)}…, ${m[3] === '01' ? 'sampled' : 'not sampled'})` }));
      return out;
    }
    const b3 = headers.get('x-b3-traceid');
    const hint = b3 ? 'zipkin' : !client.writes && !server.writes ? hintFor(client.reason, telemetry) : undefined;
    out.push(
      f.fail({
        expected: 'a Traceparent header (00-<trace id>-<span id>-<flags>)',
        actual: traceparent ? `Traceparent: ${traceparent} (not W3C trace context)` : b3 ? `X-B3-TraceId: ${b3}, no Traceparent` : 'no Traceparent',
        next: 'kubectl get telemetry -A -o yaml',
        ...(hint ? { hint } : {}),
      }),
    );
    return out;
  },
});

function hintFor(reason: Extract<TraceContext, { writes: false }>['reason'], telemetry: string): string | undefined {
  if (reason === 'noProvider') return telemetry ? 'notApplied' : undefined;
  return reason;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
