import type { Assertion, CheckContext } from '../../check-api';
import { readRoutedService } from '../shared-read-routing';
import { catchAllShareAssertions } from '../shared-route-share-assertions';

/** The reviews VS of ns default, judged against a target split of its catch-all rule. */
export async function reviewsSplitAssertions(
  ctx: Pick<CheckContext, 'cluster'>,
  target: Record<string, number>,
  targetText: string,
): Promise<Assertion[]> {
  const routed = await readRoutedService(ctx, {
    lab: 'L05',
    service: 'reviews',
    namespace: 'default',
    missingHint:
      'Create (or edit) the VirtualService for reviews in namespace default; the lab setup leaves one sending 100% to v1.',
  });
  if (!routed.vs) return routed.assertions;
  return [
    ...routed.assertions,
    ...catchAllShareAssertions({ lab: 'L05', vs: routed.vs, fqdn: routed.fqdn, target, dr: routed.dr, targetText }),
  ];
}
