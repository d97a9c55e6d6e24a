import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CheckContext, CheckLogger, StepCheck } from './check-api';
import { CheckRunError, type RunErrorCode } from './check-error';
import type { Assertion, CheckResult } from './check-result';
import { silentLogger } from './checker-logger';
import { KubeClusterReader } from './kube/kube-cluster-reader';
import { loadKubeConfig, type KubeconfigSource } from './kube/load-kubeconfig';
import { declaredStepKind } from './lab-steps';
import { NotYetError } from './not-yet-error';
import { createKubeProbes, type PollLimits } from './probes/kube-probes';
import { checkRegistry } from './registry';

export interface RunStepCheckOptions {
  labId: string;
  stepId: string;
  kubeconfig: KubeconfigSource;
  /** Base URL of the ingress gateway as the platform reaches it (e.g. http://127.0.0.1:30080). */
  ingressUrl?: string;
  /** Whole-check budget, default 60 s (a telemetry poll needs up to 60 s of it). */
  timeoutMs?: number;
  signal?: AbortSignal;
  log?: CheckLogger & { error?: CheckLogger['warn'] };
  /** Caps poll timeouts/intervals (tests, benchmarks). */
  limits?: PollLimits;
  /** Another registry (tests); defaults to every lab's checks. */
  registry?: ReadonlyMap<string, StepCheck>;
  /** What lab.yaml declares for a step (tests); defaults to the lab catalog. */
  declaredKind?: typeof declaredStepKind;
}

export const defaultCheckTimeoutMs = 60_000;

const errorSummaries: Record<RunErrorCode, (message: string) => string> = {
  // No kubeconfig at all brings its own sentence (CheckRunError.summary); one that is unreadable or empty says what is wrong with it.
  'no-cluster': (m) => `The cluster's kubeconfig cannot be used (${m}), so this step cannot be checked.`,
  unreachable: (m) => `The cluster did not answer, so this step could not be checked (${m}). Your work is not marked wrong; try again in a moment.`,
  forbidden: (m) => `The checker is not allowed to read what this step needs (${m}). This is a platform problem, not a mistake in your work.`,
  timeout: (m) => `The check ran out of time (${m}). Your work is not marked wrong; try again in a moment.`,
  internal: () => 'The check itself failed; this is a bug in the platform, not in your work. It has been logged.',
};

const kindResources: Record<string, string> = {
  VirtualService: 'virtualservice',
  DestinationRule: 'destinationrule',
  Gateway: 'gateway',
  ServiceEntry: 'serviceentry',
  Sidecar: 'sidecar',
  PeerAuthentication: 'peerauthentication',
  RequestAuthentication: 'requestauthentication',
  AuthorizationPolicy: 'authorizationpolicy',
  Telemetry: 'telemetry',
  Deployment: 'deployment',
  Service: 'service',
  Namespace: 'namespace',
};

/** A failing assertion that names an object but no command gets `kubectl get` of that object. */
export function withDefaultNext(a: Assertion): Assertion {
  if (a.status === 'pass' || a.next || !a.path) return a;
  const m = /^(\w+) ([\w.-]+)\/([\w.-]+)/.exec(a.path) ?? /^(Namespace) ()([\w.-]+)/.exec(a.path);
  const resource = m ? kindResources[m[1] ?? ''] : undefined;
  if (!m || !resource) return a;
  return { ...a, next: m[2] ? `kubectl get ${resource} ${m[3] ?? ''} -n ${m[2]} -o yaml` : `kubectl get ${resource} ${m[3] ?? ''} -o yaml` };
}

function summaryOf(assertions: Assertion[], stepId: string): string {
  const failed = assertions.filter((a) => a.status === 'fail');
  const warned = assertions.filter((a) => a.status === 'warn');
  if (failed.length === 0) {
    const note = warned.length ? ` (${warned.length} note${warned.length > 1 ? 's' : ''} to read)` : '';
    return `Step "${stepId}" is done: ${assertions.length} check${assertions.length > 1 ? 's' : ''} passed${note}.`;
  }
  const first = failed[0];
  const more = failed.length > 1 ? ` (and ${failed.length - 1} more)` : '';
  return `Not yet: ${first?.title ?? ''}${more}.`;
}

/**
 * Validates what a check observed: a finite number or a non-empty choice id, with words for the
 * page. A bad one is a bug in the check (an internal error), never a learner's mistake.
 */
export function observationOf(value: unknown, display: unknown, source: unknown): NonNullable<CheckResult['observed']> {
  const okValue = (typeof value === 'number' && Number.isFinite(value)) || (typeof value === 'string' && value.trim() !== '' && value.length <= 100);
  if (!okValue) throw new Error(`ctx.observe: value must be a finite number or a choice id, got ${JSON.stringify(value)}`);
  if (typeof display !== 'string' || display.trim() === '' || display.length > 200)
    throw new Error('ctx.observe: display must be a short non-empty sentence for the learner');
  if (typeof source !== 'string' || source.trim() === '' || source.length > 200)
    throw new Error('ctx.observe: source must name where the value was read (e.g. "Prometheus istio_requests_total")');
  return { value: value as number | string, display, source };
}

/**
 * Runs one step's check against a learner cluster and returns the result object the portal stores
 * and the CLI prints. Never throws: every way it can go wrong becomes an outcome `error` with a code
 * (the cluster could not be asked) or `failed` (the cluster was asked and the step is not done).
 * Steps declared `check: none` in lab.yaml pass without a cluster: they are reading/exploring steps
 * that the learner completes by doing them.
 */
export async function runStepCheck(options: RunStepCheckOptions): Promise<CheckResult> {
  const startedAt = new Date();
  const started = Date.now();
  const log = options.log ?? silentLogger;
  const registry = options.registry ?? checkRegistry;
  const ids = { labId: options.labId, stepId: options.stepId };
  const base = { ...ids, startedAt: startedAt.toISOString() };
  const check = registry.get(`${options.labId}/${options.stepId}`);

  const errorResult = (kind: CheckResult['kind'], code: RunErrorCode | 'no-check', message: string, summary: string): CheckResult => ({
    ...base,
    kind,
    outcome: 'error',
    summary,
    assertions: [],
    error: { code, message },
    durationMs: Date.now() - started,
  });

  if (!check) {
    const declared = (options.declaredKind ?? declaredStepKind)(options.labId, options.stepId);
    if (declared === 'none') {
      return { ...base, kind: 'none', outcome: 'passed', summary: 'This step has nothing to check: it is done once you have worked through it.', assertions: [], durationMs: Date.now() - started };
    }
    const message = declared ? `lab.yaml declares a ${declared} check for ${options.labId}/${options.stepId}, but none is registered` : `no check is registered for ${options.labId}/${options.stepId}`;
    if (declared) log.warn({ ...ids }, message);
    return errorResult(declared ?? 'none', 'no-check', message, 'This step has no automatic check.');
  }

  const timeoutMs = options.timeoutMs ?? defaultCheckTimeoutMs;
  const deadline = started + timeoutMs;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new CheckRunError('timeout', `no answer within ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
  const onCallerAbort = () => controller.abort(new CheckRunError('timeout', 'the check was cancelled'));
  options.signal?.addEventListener('abort', onCallerAbort, { once: true });
  if (options.signal?.aborted) onCallerAbort();
  let tempDir: string | undefined;

  try {
    const kc = loadKubeConfig(options.kubeconfig);
    const source = options.kubeconfig;
    const kubeconfigPath = () => {
      if (source.kind === 'file') return source.path;
      if (!tempDir) {
        tempDir = mkdtempSync(path.join(tmpdir(), 'checker-'));
        writeFileSync(path.join(tempDir, 'kubeconfig'), kc.exportConfig(), { mode: 0o600 });
      }
      return path.join(tempDir, 'kubeconfig');
    };
    const cluster = new KubeClusterReader(kc, controller.signal);
    const probes = createKubeProbes({ kc, cluster, signal: controller.signal, deadline, ingressUrl: options.ingressUrl, kubeconfigPath, limits: options.limits });
    let observed: CheckResult['observed'];
    const observe = (value: number | string, display: string, source: string) => {
      observed = observationOf(value, display, source);
    };
    const ctx: CheckContext = { ...ids, cluster, probes, signal: controller.signal, deadline, log, poll: probes.poll, observe };

    // A check that ignores its signal must still not outlive its deadline.
    const aborted = new Promise<never>((_, reject) => {
      const fire = () => reject(controller.signal.reason instanceof Error ? controller.signal.reason : new CheckRunError('timeout', 'aborted'));
      if (controller.signal.aborted) fire();
      else controller.signal.addEventListener('abort', fire, { once: true });
    });
    aborted.catch(() => undefined);
    let assertions: Assertion[];
    try {
      assertions = await Promise.race([check.run(ctx), aborted]);
    } catch (error) {
      if (error instanceof NotYetError) assertions = [error.assertion];
      else throw error;
    }
    if (assertions.length === 0) throw new Error(`check ${check.key} made no assertion`);
    assertions = assertions.map(withDefaultNext);
    const outcome = assertions.some((a) => a.status === 'fail') ? 'failed' : 'passed';
    log.info({ ...ids, outcome, durationMs: Date.now() - started }, 'check finished');
    return {
      ...base,
      kind: check.kind,
      outcome,
      summary: summaryOf(assertions, options.stepId),
      assertions,
      ...(observed ? { observed } : {}),
      durationMs: Date.now() - started,
    };
  } catch (error) {
    if (error instanceof CheckRunError && error.code !== 'internal') {
      log.info({ ...ids, code: error.code, message: error.message }, 'check could not run');
      return errorResult(check.kind, error.code, error.message, error.summary ?? errorSummaries[error.code](error.message));
    }
    const message = error instanceof Error ? error.message : String(error);
    (log.error ?? log.warn)({ ...ids, err: error instanceof Error ? { message, stack: error.stack } : message }, 'check failed internally');
    return errorResult(check.kind, 'internal', message, errorSummaries.internal(message));
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onCallerAbort);
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  }
}
