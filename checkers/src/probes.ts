import type { PollOptions, PollResult } from './poll';

/** A learner's Bookinfo login, kept as the `session` cookie productpage set. */
export interface Session {
  user: string;
  /** `session=<value>` as sent back in a Cookie header; empty when the login got no cookie. */
  cookie: string;
  /** HTTP status of the POST /login answer (302 when productpage accepted it). */
  status: number;
}

export interface IngressRequest {
  method?: string;
  /** Path and query, e.g. `/productpage` or `/headers`. */
  path: string;
  /** Host header (L02: `httpbin.example.com`); forces the toolbox-curl path without --ingress. */
  host?: string;
  headers?: Record<string, string>;
  /** Form or JSON body for POST. */
  body?: string;
  session?: Session;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  durationMs: number;
  /** How the request reached the gateway (reported in hints when a probe fails). */
  via: 'ingress-url' | 'service-proxy' | 'toolbox-curl';
}

export type ReviewsVersion = 'v1' | 'v2' | 'v3';

export interface MixResult {
  /** Requests sent. */
  sent: number;
  /** Responses that named a reviews pod (status 200 and a parsable body). */
  answered: number;
  counts: Record<ReviewsVersion, number>;
  /** Answered but version unknown (pod name not `reviews-vN-…`). */
  unknown: number;
  /** Non-200 answers by status (0 = no answer at all). */
  failures: Record<string, number>;
  /** Rating colours seen per version, to cross-check (absent for v1, black v2, red v3). */
  colours: Record<ReviewsVersion, string[]>;
}

export interface MixOptions {
  session?: Session;
  headers?: Record<string, string>;
}

export interface ExecResult {
  /** `ns/name` of the pod the command ran in. */
  pod: string;
  container: string;
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface CurlRequest {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** curl --max-time in seconds (default 10). */
  maxTimeSeconds?: number;
}

export interface CurlResult {
  pod: string;
  /** HTTP status, 0 when there was no HTTP answer (curl prints 000). */
  httpCode: number;
  /** curl's own exit code: 0 ok, 7 refused, 28 timeout, 56 reset (plaintext hitting STRICT mTLS). */
  curlExitCode: number;
  body: string;
  stderr: string;
}

export interface PromSample {
  metric: Record<string, string>;
  value: number;
}

/** One finding of `istioctl analyze -o json` (docs/check-probes.md). */
export interface AnalyzerMessage {
  code: string;
  level: string;
  message: string;
  origin?: string;
  documentationUrl?: string;
}

export interface ProxyResponse {
  status: number;
  body: string;
}

/**
 * Live-traffic and telemetry probes (docs/check-probes.md). Each one is bounded in requests and time,
 * honours the check's deadline and signal, and throws `CheckRunError` when it cannot run
 * (cluster unreachable, RBAC, no toolbox pod); "wrong answer" is always a returned value.
 */
export interface Probes {
  /** ING: one HTTP request to the ingress gateway (--ingress URL, else service proxy or toolbox curl). */
  ing(request: IngressRequest): Promise<HttpResponse>;
  /** LOGIN: POST /login as `user` (any password); returns the session cookie productpage set (empty if none). */
  login(user: string): Promise<Session>;
  /** MIX: n × GET /api/v1/products/0/reviews, counted per reviews version (n ≤ 200). */
  mix(n: number, options?: MixOptions): Promise<MixResult>;
  /**
   * EXEC: run argv in the app container of the first Ready pod matching `selector` in `ns`.
   * Throws NotYetError (a failed step, with a hint) when no such pod runs.
   */
  exec(ns: string, selector: string, argv: string[], options?: { container?: string }): Promise<ExecResult>;
  /** EXEC with curl: HTTP code, curl exit code and body from inside a pod. */
  curl(ns: string, selector: string, request: CurlRequest): Promise<CurlResult>;
  /** PROM: instant query through the API server's service proxy. */
  prom(query: string): Promise<PromSample[]>;
  /** JAEGER: GET under the query service's `/jaeger` base path, e.g. `/api/services`. */
  jaeger(path: string): Promise<unknown>;
  /** KIALI: GET under `/kiali`, e.g. `/api/istio/validations?namespaces=default`. */
  kiali(path: string): Promise<unknown>;
  /** GRAFANA: GET, e.g. `/api/search?query=Istio`. */
  grafana(path: string): Promise<unknown>;
  /** ISTIOD: GET on the debug port 15014, e.g. `/debug/syncz`; the body as text. */
  istiod(path: string): Promise<string>;
  /** Raw GET through the service proxy: `/api/v1/namespaces/{ns}/services/{service}:{port}/proxy{path}`. */
  serviceProxy(ns: string, service: string, port: number, path: string): Promise<ProxyResponse>;
  /** Raw GET through the pod proxy, e.g. a proxy's own `:15020/stats/prometheus`. */
  podProxy(ns: string, pod: string, port: number, path: string): Promise<ProxyResponse>;
  /** LOGS: a container's log lines of the last `sinceSeconds` (works for native sidecars). */
  logs(ns: string, pod: string, container: string, sinceSeconds: number): Promise<string>;
  /** ANALYZE: `istioctl analyze -n ns -o json`; undefined when istioctl is not on PATH. */
  analyze(ns: string): Promise<AnalyzerMessage[] | undefined>;
  /** Poll until converged, bounded by the check's deadline (see `poll`). */
  poll<T>(sample: () => Promise<T>, options: Omit<PollOptions<T>, 'signal' | 'deadline'>): Promise<PollResult<T>>;
}
