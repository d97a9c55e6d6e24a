import type { Telemetry } from '../istio-schemas';
import { rootNamespace as defaultRoot } from './destination-rule-for-host';
import { effectivePolicy, type PolicyLevel, type Workload } from './policy-for-workload';

/** The built-in provider that writes Envoy's access log to the proxy's stdout (Istio docs tasks/observability/logs/access-log). */
export const envoyLogProvider = 'envoy';

export type AccessLogging =
  /** No Telemetry configures access logging for this proxy: meshConfig.accessLogFile decides. */
  | { by: 'meshConfig'; file: string | undefined }
  | {
      by: 'telemetry';
      /** The most specific Telemetry whose accessLogging applies, and its level. */
      telemetry: Telemetry;
      level: PolicyLevel;
      providers: string[];
      disabled: boolean;
      filter: string | undefined;
    };

const modeMatches = (mode: string | undefined, side: 'CLIENT' | 'SERVER') => mode === undefined || mode === 'CLIENT_AND_SERVER' || mode === side;

/**
 * How one side of a workload's proxy logs requests (Istio 1.30 pilot/pkg/networking/core/accesslog.go:
 * "No Telemetry API configured, fall back to legacy mesh config setting", and pilot/pkg/model/telemetry.go
 * `mergeLogs`): Telemetry accessLogging from the root namespace, then the namespace, then a selector
 * match (within a level the oldest Telemetry; IST0160 for the others) replaces meshConfig.accessLogFile
 * for that proxy. Entries count when their `match.mode` covers the side; the last providers list, filter
 * and `disabled` seen win. Without providers, meshConfig.defaultProviders.accessLogging (none by default).
 */
export function accessLoggingFor(
  all: Telemetry[],
  workload: Workload,
  side: 'CLIENT' | 'SERVER',
  mesh: { accessLogFile?: string; defaultProviders?: string[] },
  root = defaultRoot,
): AccessLogging {
  // Within a level istiod reads only the oldest Telemetry, whatever it configures: a newer one with
  // accessLogging next to an older metrics-only one is ignored (IST0160).
  const { byLevel } = effectivePolicy(all, workload, root);
  let found: Extract<AccessLogging, { by: 'telemetry' }> | undefined;
  for (const level of ['root', 'namespace', 'workload'] as const) {
    const telemetry = byLevel[level];
    if (!telemetry) continue;
    for (const entry of telemetry.spec.accessLogging ?? []) {
      if (!modeMatches(entry.match?.mode, side)) continue;
      const names = (entry.providers ?? []).map((p) => p.name ?? '').filter((n) => n !== '');
      found = {
        by: 'telemetry',
        telemetry,
        level,
        providers: names.length ? names : (found?.providers ?? mesh.defaultProviders ?? []),
        disabled: entry.disabled ?? false,
        filter: entry.filter?.expression ?? found?.filter,
      };
    }
  }
  return found ?? { by: 'meshConfig', file: mesh.accessLogFile };
}

export type LogFilter = { ok: true; test: (attrs: { responseCode: number }) => boolean } | { ok: false; problem: string };

/**
 * The access-log filters the lab writes, as Envoy's CEL filter reads them: comparisons of `response.code`
 * with an integer, joined by `&&` or `||` (no parentheses). Anything else is reported as not understood;
 * Envoy rejects an expression that does not compile and the proxy then logs nothing for that provider.
 */
export function compileLogFilter(expression: string): LogFilter {
  const comparison = /^\s*response\.code\s*(==|!=|>=|<=|>|<)\s*(\d+)\s*$/;
  const ors = expression.split('||').map((part) => part.split('&&'));
  const compiled: Array<Array<(code: number) => boolean>> = [];
  for (const and of ors) {
    const terms: Array<(code: number) => boolean> = [];
    for (const term of and) {
      const m = comparison.exec(term);
      if (!m) return { ok: false, problem: `"${term.trim()}" is not a comparison of response.code with a number` };
      const n = Number(m[2]);
      const op = m[1];
      terms.push((c) => (op === '==' ? c === n : op === '!=' ? c !== n : op === '>=' ? c >= n : op === '<=' ? c <= n : op === '>' ? c > n : c < n));
    }
    compiled.push(terms);
  }
  return { ok: true, test: ({ responseCode }) => compiled.some((and) => and.every((t) => t(responseCode))) };
}

/** Whether the proxy writes a line to its stdout for a request with this response code. */
export function logsToStdout(logging: AccessLogging, responseCode: number): boolean {
  if (logging.by === 'meshConfig') return logging.file === '/dev/stdout';
  if (logging.disabled || !logging.providers.includes(envoyLogProvider)) return false;
  if (logging.filter === undefined) return true;
  const filter = compileLogFilter(logging.filter);
  return filter.ok && filter.test({ responseCode });
}
