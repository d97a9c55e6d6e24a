import { accessLoggingFor, compileLogFilter, defineCheck, effectivePolicy, envoyLogProvider, finding, logsToStdout, type Telemetry } from '../../check-api';
import { httpbinPod, labId, meshLogging, telRef } from './access-log-objects';

const hasLogging = (t: Telemetry) => (t.spec.accessLogging ?? []).length > 0;

/** Why this Telemetry, meant for step 2, does not make httpbin log only failures. */
function nearMiss(t: Telemetry): { hint: string; params: Record<string, string> } | undefined {
  for (const entry of t.spec.accessLogging ?? []) {
    const provider = (entry.providers ?? []).map((p) => p.name ?? '').find((n) => n !== envoyLogProvider);
    if (provider !== undefined && !(entry.providers ?? []).some((p) => p.name === envoyLogProvider)) return { hint: 'provider', params: { provider } };
    if (entry.disabled) return { hint: 'disabled', params: {} };
    const expression = entry.filter?.expression;
    if (expression === undefined) return { hint: 'noFilter', params: {} };
    const filter = compileLogFilter(expression);
    if (!filter.ok) return { hint: 'badFilter', params: { problem: filter.problem } };
  }
  return undefined;
}

/**
 * Step 2: judged on what httpbin's server-side proxy does by the access-logging rule: a 418 is logged
 * and a 200 is not (any Telemetry name, namespace or root level that gets there passes).
 */
export const errorsOnly = defineCheck({
  labId,
  stepId: 'errors-only',
  kind: 'state',
  async run(ctx) {
    const [all, mesh, { workload }] = await Promise.all([ctx.cluster.telemetries(), meshLogging(ctx), httpbinPod(ctx)]);
    const logging = accessLoggingFor(all, workload, 'SERVER', mesh);
    const next = 'kubectl get telemetry -A -o yaml';
    if (logsToStdout(logging, 418) && !logsToStdout(logging, 200) && logging.by === 'telemetry') {
      const ref = telRef(logging.telemetry);
      return [finding('L20.TELEMETRY').pass({ actual: `${ref}: providers ${logging.providers.join(', ')}, filter ${logging.filter ?? 'none'}`, path: ref })];
    }
    const { ignored, byLevel } = effectivePolicy(all, workload);
    const ignoredWithLogs = ignored.find(hasLogging);
    const candidates = all.filter(hasLogging);
    const elsewhere = candidates.find((t) => t.metadata.namespace !== 'intro' && t.metadata.namespace !== 'istio-system');
    const applied = logging.by === 'telemetry' ? logging.telemetry : candidates.find((t) => t.metadata.namespace === 'intro');
    const miss = applied ? nearMiss(applied) : undefined;
    const near = ignoredWithLogs
      ? { hint: 'ignored', telemetry: ignoredWithLogs, params: { winner: byLevel.namespace ? telRef(byLevel.namespace) : '', ignored: telRef(ignoredWithLogs) } }
      : miss && applied
        ? { hint: miss.hint, telemetry: applied, params: miss.params }
        : elsewhere
          ? { hint: 'otherNamespace', telemetry: elsewhere, params: { namespace: elsewhere.metadata.namespace } }
          : undefined;
    return [
      finding('L20.TELEMETRY', { telemetry: near ? telRef(near.telemetry) : '', ...(near?.params ?? {}) }).fail({
        expected: 'a Telemetry for intro: provider envoy, filter response.code >= 400',
        actual:
          logging.by === 'meshConfig'
            ? `no Telemetry configures access logging for httpbin; meshConfig ${mesh.accessLogFile ? `accessLogFile ${mesh.accessLogFile}` : 'logs nothing'}`
            : `${telRef(logging.telemetry)} logs ${logsToStdout(logging, 200) ? 'successful requests too' : 'nothing'}`,
        next,
        ...(near ? { hint: near.hint, path: `${telRef(near.telemetry)} .spec.accessLogging` } : {}),
      }),
    ];
  },
});
