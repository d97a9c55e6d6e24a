import { z } from 'zod';
import { assertKnownVersion } from './addon-version';

// Jaeger's query HTTP API (the one its UI reads, kept in Jaeger v2's query extension) wraps every
// answer in {data, total, limit, offset, errors} (jaegertracing/jaeger cmd/query/app/http_handler.go
// structuredResponse); traces are the UI model (model/json: Trace{traceID, spans, processes},
// Span{traceID, spanID, operationName, references, startTime µs, duration µs, tags, processID}).
// The sample serves it under base_path /jaeger; Istio names services `<app>.<namespace>`.

export const jaegerKnownVersions = ['2.14'] as const;

const envelope = <T extends z.ZodType>(data: T) =>
  z.object({ data: data.nullable(), total: z.number().optional(), errors: z.array(z.object({ code: z.number().optional(), msg: z.string() })).nullable().optional() });

const spanSchema = z.object({
  traceID: z.string(),
  spanID: z.string(),
  operationName: z.string(),
  startTime: z.number(),
  duration: z.number(),
  processID: z.string(),
});
const traceSchema = z.object({
  traceID: z.string(),
  spans: z.array(spanSchema),
  processes: z.record(z.string(), z.object({ serviceName: z.string() })),
});

export interface JaegerTraceSummary {
  traceID: string;
  spans: number;
  services: string[];
  /** The longest span, in milliseconds (the whole request as the ingress saw it). */
  durationMs: number;
}

export interface JaegerSummary {
  services: string[];
  service: string;
  traces: JaegerTraceSummary[];
}

export interface JaegerAdapter {
  version: string;
  servicesPath: string;
  tracesPath(service: string): string;
  parseServices(json: unknown): string[];
  parseTraces(json: unknown): JaegerTraceSummary[];
  line(summary: JaegerSummary): string;
}

function failOnErrors(what: string, errors: { msg: string }[] | null | undefined): void {
  if (errors && errors.length > 0) throw new Error(`Jaeger refused ${what}: ${errors.map((e) => e.msg).join('; ')}`);
}

export function jaegerAdapterFor(version: string): JaegerAdapter {
  assertKnownVersion('Jaeger', version, jaegerKnownVersions);
  return {
    version,
    servicesPath: '/jaeger/api/services',
    tracesPath: (service) => `/jaeger/api/traces?${new URLSearchParams({ service, lookback: '1h', limit: '20' }).toString()}`,
    parseServices(json) {
      const answer = envelope(z.array(z.string())).parse(json);
      failOnErrors('the service list', answer.errors);
      return [...(answer.data ?? [])].sort();
    },
    parseTraces(json) {
      const answer = envelope(z.array(traceSchema)).parse(json);
      failOnErrors('the trace search', answer.errors);
      return (answer.data ?? []).map((t) => ({
        traceID: t.traceID,
        spans: t.spans.length,
        services: [...new Set(t.spans.map((s) => t.processes[s.processID]?.serviceName ?? '?'))].sort(),
        durationMs: Math.max(0, ...t.spans.map((s) => s.duration)) / 1000,
      }));
    },
    line(s) {
      if (s.traces.length === 0) return `Jaeger: ${s.services.length} services, no traces of ${s.service} in the last hour`;
      const counts = s.traces.map((t) => t.spans);
      const spread = Math.min(...counts) === Math.max(...counts) ? `${counts[0]}` : `${Math.min(...counts)}–${Math.max(...counts)}`;
      return `Jaeger: ${s.services.length} services, ${s.traces.length} traces of ${s.service}, ${spread} spans per trace`;
    },
  };
}
