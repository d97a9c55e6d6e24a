import type { KubeConfig, V1Pod } from '@kubernetes/client-node';
import { z } from 'zod';
import { finding } from '../catalogue/findings';
import { CheckRunError } from '../check-error';
import type { ClusterReader } from '../cluster-reader';
import { apiGet } from '../kube/api-get';
import { execInPod } from '../kube/exec-in-pod';
import { NotYetError } from '../not-yet-error';
import { appContainerName, isReady, isRunning } from '../pods';
import { poll, type PollOptions, type PollResult } from '../poll';
import type {
  AnalyzerMessage,
  CurlRequest,
  CurlResult,
  ExecResult,
  HttpResponse,
  IngressRequest,
  MixOptions,
  MixResult,
  Probes,
  PromSample,
  ProxyResponse,
  Session,
} from '../probes';
import { curlArgv, parseCurlOutput } from './curl-command';
import { httpRequest } from './http-request';
import { istioctlAnalyze } from './istioctl-analyze';
import { addReviewsAnswer, emptyMix } from './reviews-mix';

/** Caps on probe effort (≤ 200 requests, ≤ 30 s each; docs/check-probes.md). */
export const probeLimits = { maxRequests: 200, curlBatch: 50, concurrency: 4, requestTimeoutSeconds: 10 } as const;

/** Where the ingress gateway is, in-cluster (docs/check-probes.md). */
export const ingressService = { namespace: 'istio-system', name: 'istio-ingressgateway', port: 80 } as const;
const ingressInCluster = `http://${ingressService.name}.${ingressService.namespace}.svc.cluster.local:${ingressService.port}`;

/** Where exec-curl ingress probes run: the learner's toolbox (ns toolbox, deploy/toolbox). */
export const toolboxTarget = { namespace: 'toolbox', selector: 'app=toolbox', container: 'toolbox' } as const;

export interface PollLimits {
  /** Upper bound on any poll's timeout (tests and short deadlines). */
  maxPollTimeoutMs?: number;
  /** Overrides poll intervals (tests). */
  pollIntervalMs?: number;
}

export interface ProbeDeps {
  kc: KubeConfig;
  cluster: ClusterReader;
  signal: AbortSignal;
  deadline: number;
  ingressUrl?: string;
  /** A kubeconfig file for istioctl; created lazily by the runner when the source was a string. */
  kubeconfigPath: () => string;
  limits?: PollLimits;
}

const promAnswerSchema = z.object({
  status: z.string(),
  data: z
    .object({
      resultType: z.string(),
      result: z.array(z.object({ metric: z.record(z.string(), z.string()), value: z.tuple([z.number(), z.string()]) })),
    })
    .optional(),
  error: z.string().optional(),
});

function boundedCount(n: number): number {
  return Math.max(1, Math.min(probeLimits.maxRequests, Math.floor(n)));
}

/** Runs `tasks` with at most `limit` in flight, preserving order. */
async function inBatches<T>(count: number, limit: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array<T>(count);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, count) }, async () => {
    while (next < count) {
      const i = next++;
      out[i] = await task(i);
    }
  });
  await Promise.all(workers);
  return out;
}

/** The probes of docs/check-probes.md over client-node: service/pod proxy GETs, exec, logs, istioctl. */
export function createKubeProbes(deps: ProbeDeps): Probes {
  const { kc, cluster, signal } = deps;

  async function serviceProxy(ns: string, service: string, port: number, path: string): Promise<ProxyResponse> {
    const p = path.startsWith('/') ? path : `/${path}`;
    const url = `/api/v1/namespaces/${ns}/services/${service}:${port}/proxy${p}`;
    const answer = await apiGet(kc, url, signal, `reading ${service}.${ns}:${port}${p.split('?')[0] ?? ''}`);
    refuseProxyNotFound(url, answer);
    return { status: answer.status, body: answer.body };
  }

  async function podProxy(ns: string, pod: string, port: number, path: string): Promise<ProxyResponse> {
    const p = path.startsWith('/') ? path : `/${path}`;
    const url = `/api/v1/namespaces/${ns}/pods/${pod}:${port}/proxy${p}`;
    const answer = await apiGet(kc, url, signal, `reading pod ${ns}/${pod}:${port}`);
    refuseProxyNotFound(url, answer);
    return { status: answer.status, body: answer.body };
  }

  /** A backend the platform installs (Prometheus, Jaeger...): not answering means the check cannot run. */
  async function addonJson(name: string, ns: string, service: string, port: number, path: string): Promise<unknown> {
    const answer = await serviceProxy(ns, service, port, path);
    if (answer.status < 200 || answer.status >= 300) {
      throw new CheckRunError('unreachable', `${name} did not answer (HTTP ${answer.status} from ${service}.${ns}:${port}): ${answer.body.slice(0, 200)}`);
    }
    try {
      return JSON.parse(answer.body) as unknown;
    } catch (cause) {
      throw new CheckRunError('unreachable', `${name} answered something that is not JSON`, { cause });
    }
  }

  async function podFor(ns: string, selector: string): Promise<V1Pod> {
    const pods = (await cluster.pods(ns, selector)).filter(isRunning);
    const pod = pods.find(isReady) ?? pods[0];
    if (!pod) {
      throw new NotYetError(
        finding('PROBE.NO_POD', { pod: `a Running pod with labels ${selector}`, namespace: ns }).fail({
          expected: `a Running pod with labels ${selector} in ${ns}`,
          actual: 'none',
          next: `kubectl get pods -n ${ns} -l ${selector}`,
        }),
      );
    }
    return pod;
  }

  async function exec(ns: string, selector: string, argv: string[], options: { container?: string } = {}): Promise<ExecResult> {
    const pod = await podFor(ns, selector);
    const name = pod.metadata?.name ?? '';
    const container = options.container ?? appContainerName(pod) ?? '';
    const out = await execInPod(kc, { namespace: ns, pod: name, container }, argv, signal);
    return { pod: `${ns}/${name}`, container, ...out };
  }

  async function toolboxCurl(spec: Parameters<typeof curlArgv>[0]) {
    const pod = await podFor(toolboxTarget.namespace, toolboxTarget.selector).catch((error: unknown) => {
      // No toolbox is an environment problem, not the learner's step.
      if (error instanceof NotYetError) throw new CheckRunError('unreachable', 'The toolbox pod (ns toolbox, app=toolbox) is not running, so requests with headers cannot be sent from inside the cluster; pass --ingress <url>.');
      throw error;
    });
    const podName = pod.metadata?.name ?? '';
    const container = pod.spec?.containers?.some((c) => c.name === toolboxTarget.container) ? toolboxTarget.container : (appContainerName(pod) ?? '');
    const out = await execInPod(kc, { namespace: toolboxTarget.namespace, pod: podName, container }, curlArgv(spec), signal);
    return { transfers: parseCurlOutput(out.stdout, spec.includeHeaders), exitCode: out.exitCode, stderr: out.stderr };
  }

  function ingressHeaders(request: IngressRequest): Record<string, string> {
    return {
      ...(request.host ? { host: request.host } : {}),
      ...(request.session?.cookie ? { cookie: request.session.cookie } : {}),
      ...(request.body !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      ...request.headers,
    };
  }

  async function ing(request: IngressRequest): Promise<HttpResponse> {
    const method = request.method ?? 'GET';
    const headers = ingressHeaders(request);
    if (deps.ingressUrl) {
      const url = new URL(request.path, deps.ingressUrl);
      const answer = await httpRequest(url, { method, headers, body: request.body, signal });
      return { ...answer, via: 'ingress-url' };
    }
    const simple = method === 'GET' && Object.keys(headers).length === 0;
    if (simple) {
      const started = Date.now();
      const answer = await serviceProxy(ingressService.namespace, ingressService.name, ingressService.port, request.path);
      // A Status body is the API server speaking (no endpoints, dial error), not the gateway: the environment is broken.
      if (answer.status >= 500 && isKubeStatus(answer.body)) {
        throw new CheckRunError('unreachable', `the ingress gateway cannot be reached through the API server (HTTP ${answer.status}): ${statusMessage(answer.body)}`);
      }
      return { status: answer.status, headers: {}, body: answer.body, durationMs: Date.now() - started, via: 'service-proxy' };
    }
    const started = Date.now();
    const out = await toolboxCurl({ urls: [`${ingressInCluster}${request.path}`], method, headers, body: request.body, includeHeaders: true, maxTimeSeconds: probeLimits.requestTimeoutSeconds });
    const t = out.transfers[0];
    return { status: t?.httpCode ?? 0, headers: t?.headers ?? {}, body: t?.body ?? '', durationMs: Date.now() - started, via: 'toolbox-curl' };
  }

  async function login(user: string): Promise<Session> {
    const referer = `${deps.ingressUrl ?? ingressInCluster}/productpage`;
    const answer = await ing({
      method: 'POST',
      path: '/login',
      body: new URLSearchParams({ username: user, passwd: 'password' }).toString(),
      headers: { referer },
    });
    const setCookie = answer.headers['set-cookie'] ?? '';
    const m = /(?:^|\n|,\s*)session=([^;\s]+)/.exec(setCookie);
    return { user, cookie: m?.[1] ? `session=${m[1]}` : '', status: answer.status };
  }

  async function mix(n: number, options: MixOptions = {}): Promise<MixResult> {
    const count = boundedCount(n);
    const path = '/api/v1/products/0/reviews';
    const result = emptyMix();
    const headers = { ...(options.session?.cookie ? { cookie: options.session.cookie } : {}), ...options.headers };
    if (deps.ingressUrl || Object.keys(headers).length === 0) {
      const answers = await inBatches(count, probeLimits.concurrency, () => ing({ path, headers }));
      for (const a of answers) addReviewsAnswer(result, a.status, a.body);
      return result;
    }
    for (let done = 0; done < count; done += probeLimits.curlBatch) {
      const batch = Math.min(probeLimits.curlBatch, count - done);
      const out = await toolboxCurl({ urls: Array.from({ length: batch }, () => `${ingressInCluster}${path}`), headers, maxTimeSeconds: probeLimits.requestTimeoutSeconds });
      for (let i = 0; i < batch; i++) {
        const t = out.transfers[i];
        addReviewsAnswer(result, t?.httpCode ?? 0, t?.body ?? '');
      }
    }
    return result;
  }

  async function curl(ns: string, selector: string, request: CurlRequest): Promise<CurlResult> {
    const argv = curlArgv({ urls: [request.url], method: request.method, headers: request.headers, body: request.body, maxTimeSeconds: request.maxTimeSeconds ?? probeLimits.requestTimeoutSeconds });
    const out = await exec(ns, selector, argv);
    const t = parseCurlOutput(out.stdout)[0];
    return { pod: out.pod, httpCode: t?.httpCode ?? 0, curlExitCode: out.exitCode, body: t?.body ?? out.stdout, stderr: out.stderr };
  }

  async function prom(query: string): Promise<PromSample[]> {
    const json = await addonJson('Prometheus', 'istio-system', 'prometheus', 9090, `/api/v1/query?query=${encodeURIComponent(query)}`);
    const parsed = promAnswerSchema.safeParse(json);
    if (!parsed.success || parsed.data.status !== 'success' || !parsed.data.data) {
      throw new CheckRunError('internal', `Prometheus rejected the checker's query ${query}: ${parsed.success ? (parsed.data.error ?? parsed.data.status) : 'unexpected answer'}`);
    }
    return parsed.data.data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
  }

  async function logs(ns: string, pod: string, container: string, sinceSeconds: number): Promise<string> {
    const q = new URLSearchParams({ container, sinceSeconds: String(Math.max(1, Math.floor(sinceSeconds))) });
    const answer = await apiGet(kc, `/api/v1/namespaces/${ns}/pods/${pod}/log?${q.toString()}`, signal, `reading logs of ${ns}/${pod} -c ${container}`);
    if (answer.status === 404) {
      throw new NotYetError(
        finding('PROBE.NO_POD', { pod: `pod ${pod}`, namespace: ns }).fail({ expected: `pod ${ns}/${pod}`, actual: 'not found', hint: 'logsPodGone', next: `kubectl get pods -n ${ns}` }),
      );
    }
    if (answer.status !== 200) throw new CheckRunError(answer.status === 400 ? 'internal' : 'unreachable', `reading logs of ${ns}/${pod} -c ${container} failed: HTTP ${answer.status} ${answer.body.slice(0, 200)}`);
    return answer.body;
  }

  // istioctl analyze takes seconds; one run per namespace per check invocation (docs/check-probes.md).
  const analyzed = new Map<string, Promise<AnalyzerMessage[] | undefined>>();
  function analyze(ns: string): Promise<AnalyzerMessage[] | undefined> {
    let run = analyzed.get(ns);
    if (!run) {
      run = istioctlAnalyze(deps.kubeconfigPath(), ns, signal);
      analyzed.set(ns, run);
    }
    return run;
  }

  function boundedPoll<T>(sample: () => Promise<T>, options: Omit<PollOptions<T>, 'signal' | 'deadline'>): Promise<PollResult<T>> {
    const limits = deps.limits ?? {};
    // Leave time to report: stop polling a little before the check's own deadline.
    const reserve = Math.min(2_000, Math.max(0, (deps.deadline - Date.now()) * 0.1));
    return poll(sample, {
      ...options,
      timeoutMs: Math.min(options.timeoutMs, limits.maxPollTimeoutMs ?? Number.POSITIVE_INFINITY),
      intervalMs: limits.pollIntervalMs ?? options.intervalMs,
      signal,
      deadline: deps.deadline - reserve,
    });
  }

  return {
    ing,
    login,
    mix,
    exec,
    curl,
    prom,
    jaeger: (path) => addonJson('Jaeger', 'istio-system', 'tracing', 80, `/jaeger${path.startsWith('/') ? path : `/${path}`}`),
    kiali: (path) => addonJson('Kiali', 'istio-system', 'kiali', 20001, `/kiali${path.startsWith('/') ? path : `/${path}`}`),
    grafana: (path) => addonJson('Grafana', 'istio-system', 'grafana', 3000, path),
    istiod: async (path) => {
      const answer = await serviceProxy('istio-system', 'istiod', 15014, path);
      if (answer.status !== 200) throw new CheckRunError('unreachable', `istiod's debug endpoint did not answer (HTTP ${answer.status})`);
      return answer.body;
    },
    serviceProxy,
    podProxy,
    logs,
    analyze,
    poll: boundedPoll,
  };
}

/**
 * A 404 whose body is the API server's own Status (`services "x" not found`, `pods "y" not found`) means
 * there was nothing to proxy to: no application answered, so the check cannot judge the step. Reading
 * it as the app's 404 would blame the learner (e.g. "requests failed with 503/NR") for a broken
 * environment. An application's own 404 (Envoy's NR, httpbin) has no such body and stays an answer.
 */
function refuseProxyNotFound(url: string, answer: { status: number; body: string }): void {
  if (answer.status !== 404 || !isKubeStatus(answer.body)) return;
  throw new CheckRunError('unreachable', `the API server has nothing to proxy to at ${url} (HTTP 404: ${statusMessage(answer.body) || 'not found'})`);
}

function isKubeStatus(body: string): boolean {
  try {
    return (JSON.parse(body) as { kind?: unknown }).kind === 'Status';
  } catch {
    return false;
  }
}

function statusMessage(body: string): string {
  try {
    const message = (JSON.parse(body) as { message?: unknown }).message;
    return typeof message === 'string' ? message : '';
  } catch {
    return '';
  }
}
