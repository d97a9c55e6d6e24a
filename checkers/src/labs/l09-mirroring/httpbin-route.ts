import { catchAllShareFindings, readRoutedService, type RoutedService } from '../../check-api';
import type { Assertion, CheckContext } from '../../check-api';

/** The httpbin VS of ns intro and whether its catch-all rule still answers every client from v1. */
export async function httpbinToV1(
  ctx: Pick<CheckContext, 'cluster'>,
): Promise<{ routed: RoutedService; assertions: Assertion[] }> {
  const routed = await readRoutedService(ctx, {
    code: 'L09.VS',
    service: 'httpbin',
    namespace: 'intro',
  });
  if (!routed.vs) return { routed, assertions: routed.assertions };
  return {
    routed,
    assertions: [
      ...routed.assertions,
      ...catchAllShareFindings({
        vs: routed.vs,
        host: routed.host,
        target: { v1: 1 },
        dr: routed.dr,
        pods: routed.pods,
        serviceSelector: routed.serviceSelector,
      }),
    ],
  };
}
