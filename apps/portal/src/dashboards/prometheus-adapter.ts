import { z } from 'zod';
import { assertKnownVersion } from './addon-version';

// Prometheus' HTTP API (prometheus/prometheus web/api/v1/api.go): every answer is
// {status: "success"|"error", data, errorType, error}; an instant query's data is
// {resultType: "vector", result: [{metric, value: [unix seconds, "string number"]}]};
// `/api/v1/status/buildinfo` names the version.

export const prometheusKnownVersions = ['v3.10'] as const;

const errorAnswer = z.object({ status: z.literal('error'), errorType: z.string().optional(), error: z.string().optional() });
const vectorAnswer = z.object({
  status: z.literal('success'),
  data: z.object({
    resultType: z.literal('vector'),
    result: z.array(z.object({ metric: z.record(z.string(), z.string()), value: z.tuple([z.number(), z.string()]) })),
  }),
});
const buildInfoAnswer = z.object({ status: z.literal('success'), data: z.object({ version: z.string() }) });

export interface PrometheusSeries {
  labels: Record<string, string>;
  value: number;
}

export interface PrometheusSummary {
  query: string;
  series: PrometheusSeries[];
  total: number;
}

export interface PrometheusAdapter {
  version: string;
  /** Requests per second per destination service over the last minute, from Istio's standard metric. */
  requestRateQuery: string;
  queryPath(query: string): string;
  buildInfoPath: string;
  parseVector(json: unknown, query: string): PrometheusSummary;
  parseBuildInfo(json: unknown): string;
  line(summary: PrometheusSummary): string;
}

export function prometheusAdapterFor(version: string): PrometheusAdapter {
  assertKnownVersion('Prometheus', version, prometheusKnownVersions);
  return {
    version,
    requestRateQuery: 'sum by (destination_service) (rate(istio_requests_total{reporter="destination"}[1m]))',
    queryPath: (query) => `/api/v1/query?${new URLSearchParams({ query }).toString()}`,
    buildInfoPath: '/api/v1/status/buildinfo',
    parseVector(json, query) {
      const failed = errorAnswer.safeParse(json);
      if (failed.success) throw new Error(`Prometheus refused the query (${failed.data.errorType ?? 'error'}): ${failed.data.error ?? ''}`);
      const answer = vectorAnswer.parse(json);
      const series = answer.data.result.map((r) => ({ labels: r.metric, value: Number(r.value[1]) })).filter((s) => Number.isFinite(s.value));
      return { query, series, total: series.reduce((sum, s) => sum + s.value, 0) };
    },
    parseBuildInfo(json) {
      const running = buildInfoAnswer.parse(json).data.version;
      assertKnownVersion('Prometheus', running, prometheusKnownVersions);
      return running;
    },
    line(s) {
      if (s.series.length === 0) return 'Prometheus: no Istio requests in the last minute';
      return `Prometheus: ${s.total.toFixed(2)} req/s across ${s.series.length} services (istio_requests_total, last minute)`;
    },
  };
}
