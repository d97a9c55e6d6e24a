import { accessLoggingFor, defineCheck, finding, type Assertion } from '../../check-api';
import { callHttpbin, httpbinPod, labId, linesFor, markedPath, meshLogging, telRef } from './access-log-objects';

/**
 * Step 1: meshConfig sends access logs to /dev/stdout, and a request this check sends from intro/curl
 * shows up in httpbin's istio-proxy log.
 */
export const readAccessLog = defineCheck({
  labId,
  stepId: 'read-access-log',
  kind: 'probe',
  async run(ctx) {
    const mesh = await meshLogging(ctx);
    const out: Assertion[] = [];
    const file = finding('L20.MESH_LOG_FILE');
    out.push(
      mesh.accessLogFile === '/dev/stdout'
        ? file.pass({ actual: 'accessLogFile: /dev/stdout' })
        : file.fail({ expected: 'accessLogFile: /dev/stdout', actual: mesh.accessLogFile ? `accessLogFile: ${mesh.accessLogFile}` : 'no accessLogFile', next: "kubectl -n istio-system get configmap istio -o jsonpath='{.data.mesh}'" }),
    );
    const { name, workload } = await httpbinPod(ctx);
    if (!name) return out;
    const started = Date.now();
    const path = markedPath(200);
    await callHttpbin(ctx, path);
    const seen = await linesFor(ctx, name, started, [path], (f) => f[path] === true, 10_000);
    const logging = accessLoggingFor(await ctx.cluster.telemetries(), workload, 'SERVER', mesh);
    const byTelemetry = logging.by === 'telemetry' ? logging.telemetry : undefined;
    const logged = finding('L20.LINE_LOGGED', { telemetry: byTelemetry ? telRef(byTelemetry) : '' });
    out.push(
      seen.ok
        ? logged.pass({ actual: `a line for GET ${path}` })
        : logged.fail({
            expected: `a line for GET ${path} in intro/${name} -c istio-proxy`,
            actual: 'no such line',
            next: `kubectl -n intro logs ${name} -c istio-proxy --tail 5`,
            ...(byTelemetry ? { hint: 'byTelemetry', path: telRef(byTelemetry) } : {}),
          }),
    );
    return out;
  },
});
