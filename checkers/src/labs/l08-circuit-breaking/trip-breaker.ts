import { finding, defineCheck, pollBudgets, type Assertion } from '../../check-api';
import { promBaseline, promRoseAssertion } from '../../probes/prom-assertion';
import { describeFortio, runFortio, type FortioTally } from './fortio-load';

const tripped = (t: FortioTally) => (t.codes['503'] ?? 0) > 0 && (t.codes['200'] ?? 0) > 0;

/**
 * Step 3: three connections, 30 calls: some calls overflow the pool (503, flag UO in the client sidecar)
 * while others pass. Re-run a few times (bounded) while a fresh DR propagates.
 */
export const tripBreaker = defineCheck({
  labId: 'l08-circuit-breaking',
  stepId: 'trip-breaker',
  kind: 'telemetry',
  async run(ctx) {
    const out: Assertion[] = [];
    // Read before the fortio runs below: only a count they raise shows the breaker trips now.
    const overflowed = await promBaseline(
      ctx,
      'sum(istio_requests_total{reporter="source",source_workload="fortio-deploy",destination_service_name="httpbin",response_code="503",response_flags="UO"})',
    );
    const res = await ctx.poll(() => runFortio(ctx, 3, 30), {
      until: tripped,
      timeoutMs: pollBudgets.propagation.timeoutMs,
      intervalMs: 3_000,
      passesInARow: 1,
    });
    const t = res.value;
    const trips = finding('L08.BREAKER_TRIPS');
    out.push(
      res.ok
        ? trips.pass({ expected: 'Code 503 > 0 and Code 200 > 0', actual: describeFortio(t) })
        : trips.fail({
            expected: 'Code 503 > 0 and Code 200 > 0',
            actual: describeFortio(t),
            ...((t.codes['503'] ?? 0) === 0 ? {} : { hint: 'allFailed' }),
            next: 'kubectl get destinationrule -n intro -o yaml',
          }),
    );
    out.push(
      await promRoseAssertion(ctx, overflowed, finding('L08.PROM_OVERFLOW')),
    );
    return out;
  },
});
