import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { listenOnLoopback } from './loopback-server';

export interface FakeSpan {
  service: string;
  operation: string;
  /** Index of the parent span in the trace, if any. */
  parent?: number;
  tags?: Record<string, string | number | boolean>;
  durationUs?: number;
}

export interface FakeTrace {
  spans: FakeSpan[];
}

export interface FakeJaeger {
  url: string;
  setTraces(traces: FakeTrace[]): void;
  requests: string[];
  close(): Promise<void>;
}

/** The spans one Bookinfo request produces with tracing on (ingress → productpage → details, reviews [→ ratings]). */
export function bookinfoTrace(o: { ratings?: boolean; tags?: Record<string, string> } = {}): FakeTrace {
  const tags = o.tags ?? {};
  const spans: FakeSpan[] = [
    { service: 'istio-ingressgateway.istio-system', operation: 'productpage.default.svc.cluster.local:9080/productpage', tags: { ...tags, 'http.status_code': 200 } },
    { service: 'productpage.default', operation: 'productpage.default.svc.cluster.local:9080/productpage', parent: 0, tags },
    { service: 'productpage.default', operation: 'details.default.svc.cluster.local:9080/*', parent: 1, tags },
    { service: 'details.default', operation: 'details.default.svc.cluster.local:9080/*', parent: 2, tags },
    { service: 'productpage.default', operation: 'reviews.default.svc.cluster.local:9080/*', parent: 1, tags },
    { service: 'reviews.default', operation: 'reviews.default.svc.cluster.local:9080/*', parent: 4, tags },
  ];
  if (o.ratings) spans.push({ service: 'reviews.default', operation: 'ratings.default.svc.cluster.local:9080/*', parent: 5, tags }, { service: 'ratings.default', operation: 'ratings.default.svc.cluster.local:9080/*', parent: 6, tags });
  return { spans };
}

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

function toJaeger(trace: FakeTrace, now: number) {
  const traceID = hex(16);
  const spanIds = trace.spans.map(() => hex(8));
  const services = [...new Set(trace.spans.map((s) => s.service))];
  return {
    traceID,
    spans: trace.spans.map((s, i) => ({
      traceID,
      spanID: spanIds[i],
      operationName: s.operation,
      references: s.parent === undefined ? [] : [{ refType: 'CHILD_OF', traceID, spanID: spanIds[s.parent] }],
      startTime: now * 1000 + i * 100,
      duration: s.durationUs ?? 5_000,
      tags: Object.entries(s.tags ?? {}).map(([key, value]) => ({ key, type: typeof value === 'number' ? 'int64' : typeof value === 'boolean' ? 'bool' : 'string', value })),
      logs: [],
      processID: `p${services.indexOf(s.service) + 1}`,
      warnings: null,
    })),
    processes: Object.fromEntries(services.map((name, i) => [`p${i + 1}`, { serviceName: name, tags: [] }])),
    warnings: null,
  };
}

/**
 * A local server answering the Jaeger v2 query API under the addon's `/jaeger` base path:
 * `/jaeger/api/services` and `/jaeger/api/traces?service=&lookback=&limit=` (Jaeger's JSON shapes).
 */
export async function startFakeJaeger(initial: FakeTrace[] = []): Promise<FakeJaeger> {
  let traces = initial;
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://jaeger');
    requests.push(url.pathname + url.search);
    const send = (status: number, body: unknown) => {
      const text = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    };
    const envelope = (data: unknown[]) => ({ data, total: data.length, limit: 0, offset: 0, errors: null });
    if (url.pathname === '/jaeger/api/services') return send(200, envelope([...new Set(traces.flatMap((t) => t.spans.map((s) => s.service)))].sort()));
    if (url.pathname === '/jaeger/api/traces') {
      const service = url.searchParams.get('service');
      if (!service) return send(400, { data: null, total: 0, limit: 0, offset: 0, errors: [{ code: 400, msg: 'parameter \'service\' is required' }] });
      const limit = Number(url.searchParams.get('limit') ?? '20');
      // Newest first, as Jaeger's query service answers (traces are kept oldest first).
      const matching = traces.filter((t) => t.spans.some((s) => s.service === service)).reverse().slice(0, limit);
      return send(200, envelope(matching.map((t) => toJaeger(t, Date.now()))));
    }
    send(404, { data: null, total: 0, limit: 0, offset: 0, errors: [{ code: 404, msg: '404 page not found' }] });
  });
  const listening = await listenOnLoopback(server);
  return {
    url: listening.url,
    setTraces(next) {
      traces = next;
    },
    requests,
    close: listening.close,
  };
}
