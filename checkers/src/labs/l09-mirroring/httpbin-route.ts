import type { Assertion, CheckContext } from '../../check-api';
import { readRoutedService, type RoutedService } from '../shared-read-routing';
import { catchAllShareAssertions } from '../shared-route-share-assertions';

/** The httpbin VS of ns intro and whether its catch-all rule still answers every client from v1. */
export async function httpbinToV1(ctx: Pick<CheckContext, 'cluster'>): Promise<{ routed: RoutedService; assertions: Assertion[] }> {
  const routed = await readRoutedService(ctx, {
    lab: 'L09',
    service: 'httpbin',
    namespace: 'intro',
    missingHint: 'Create a VirtualService for httpbin in namespace intro that routes every request to subset v1.',
  });
  if (!routed.vs) return { routed, assertions: routed.assertions };
  return {
    routed,
    assertions: [
      ...routed.assertions,
      ...catchAllShareAssertions({ lab: 'L09', vs: routed.vs, fqdn: routed.fqdn, target: { v1: 1 }, dr: routed.dr, targetText: '100% to v1' }),
    ],
  };
}
