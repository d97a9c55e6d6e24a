import { defineCheck, finding, type Assertion } from '../../check-api';
import { callHttpbin, httpbinPod, labId, linesFor, markedPath } from './access-log-objects';

/** Step 3: of two requests this check sends, httpbin's sidecar logs the 418 and not the 200. */
export const filteredLogs = defineCheck({
  labId,
  stepId: 'filtered-logs',
  kind: 'probe',
  async run(ctx) {
    const { name } = await httpbinPod(ctx);
    if (!name) return [finding('L20.ERROR_LOGGED').fail({ expected: 'a Ready httpbin pod in intro', actual: 'none', next: 'kubectl get pods -n intro' })];
    const started = Date.now();
    const ok = markedPath(200);
    const teapot = markedPath(418);
    await callHttpbin(ctx, ok);
    await callHttpbin(ctx, teapot);
    // Wait for the 418's line; the 200's cannot be waited for (its absence is the point), so it is read at the same time.
    const seen = await linesFor(ctx, name, started, [ok, teapot], (f) => f[teapot] === true && f[ok] === false);
    const out: Assertion[] = [];
    const next = `kubectl -n intro logs ${name} -c istio-proxy --since 1m`;
    out.push(
      seen.value[teapot]
        ? finding('L20.ERROR_LOGGED').pass({ actual: `a line for GET ${teapot}` })
        : finding('L20.ERROR_LOGGED').fail({ expected: `a line for GET ${teapot}`, actual: 'no such line', next }),
    );
    out.push(
      seen.value[ok]
        ? finding('L20.OK_NOT_LOGGED').fail({ expected: `no line for GET ${ok}`, actual: 'it was logged', next: 'kubectl get telemetry -A' })
        : finding('L20.OK_NOT_LOGGED').pass({ actual: `no line for GET ${ok}` }),
    );
    return out;
  },
});
