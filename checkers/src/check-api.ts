/**
 * The authoring API for lab step checks. A check is a function from a read-only view of the
 * learner's cluster (plus bounded probes) to a list of assertions; it never writes.
 *
 *   export const checks = [
 *     defineCheck({ labId: 'l03-subsets', stepId: 'route-to-v1', kind: 'state', async run(ctx) { ... } }),
 *   ];
 *
 * See checkers/README.md "Writing a check".
 */
import type { Assertion } from './check-result';
import type { ClusterReader } from './cluster-reader';
import type { PollOptions, PollResult } from './poll';
import type { Probes } from './probes';

export type StepCheckKind = 'state' | 'probe' | 'telemetry';

/** Structured log sink for the check (JSON lines on stderr in the CLI, pino in the portal). */
export interface CheckLogger {
  debug(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

export interface CheckContext {
  labId: string;
  stepId: string;
  cluster: ClusterReader;
  probes: Probes;
  /** Aborted when the check's time is up or the caller cancels. */
  signal: AbortSignal;
  /** Absolute epoch ms by which the check must have answered. */
  deadline: number;
  log: CheckLogger;
  /** Same as `probes.poll`: converge within the deadline. */
  poll<T>(sample: () => Promise<T>, options: Omit<PollOptions<T>, 'signal' | 'deadline'>): Promise<PollResult<T>>;
  /**
   * Reports the live value the check read (a share of requests, the slow hop of a trace), in the
   * unit of the step's prediction (a number) or as one of its choice ids (a string). The last call
   * wins; it reaches the result as `observed`, where the portal judges the learner's prediction.
   */
  observe(value: number | string, display: string, source: string): void;
}

export interface StepCheckDefinition {
  labId: string;
  stepId: string;
  kind: StepCheckKind;
  /** Returns every assertion it made; the step passes when none has status `fail`. */
  run(ctx: CheckContext): Promise<Assertion[]>;
}

export interface StepCheck extends StepCheckDefinition {
  /** `labId/stepId`, the registry key. */
  key: string;
}

/** Declares one step's check. Register it by exporting it in `labs/<lab-id>/index.ts` `checks`. */
export function defineCheck(definition: StepCheckDefinition): StepCheck {
  return { ...definition, key: `${definition.labId}/${definition.stepId}` };
}

/**
 * How long to wait for the cluster to converge (docs/check-probes.md): config propagation 1–5 s
 * (poll up to 20 s, two good samples in a row), Prometheus scrape every 15 s (up to 60 s),
 * Jaeger flush (up to 30 s). The runtime may cap these (tests, short deadlines).
 */
export const pollBudgets = {
  propagation: { timeoutMs: 20_000, intervalMs: 1_000, passesInARow: 2 },
  prometheus: { timeoutMs: 60_000, intervalMs: 5_000, passesInARow: 1 },
  jaeger: { timeoutMs: 30_000, intervalMs: 3_000, passesInARow: 1 },
} as const;

export type { Assertion } from './check-result';
export type { ClusterReader, KubeObject, ListOptions } from './cluster-reader';
export type {
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
  ReviewsVersion,
  Session,
} from './probes';
export type { PollOptions, PollResult } from './poll';
export { poll } from './poll';
export { pass, fail, warn, expectThat, type AssertionDetails } from './assertions';
export { CheckRunError, isCheckRunError } from './check-error';
export { NotYetError } from './not-yet-error';
export {
  hasIstioProxy,
  istioProxyContainer,
  sidecarStatusAnnotation,
  isReady,
  isRunning,
  livePods,
  podName,
  appContainerName,
} from './pods';
export { withinThreeSigma, shareSigma, describeShare, normaliseWeights } from './shares';
export * from './istio/istio-schemas';
export { parseMeshConfig, readMeshConfig, type MeshConfig } from './istio/mesh-config';
export { describeMix, addReviewsAnswer, emptyMix } from './probes/reviews-mix';
export * from './istio/rules';
export * from './findings';
export { finding } from './catalogue/findings';
export { isCheckCode, type CheckCode } from './catalogue/check-codes';
