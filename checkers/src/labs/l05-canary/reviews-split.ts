import { catchAllShareFindings, readRoutedService, type Assertion, type CheckContext } from '../../check-api';

/** The reviews VS Bookinfo gets in ns default, judged against a target split of its catch-all rule. */
export async function reviewsSplitAssertions(
  ctx: Pick<CheckContext, 'cluster'>,
  target: Record<string, number>,
): Promise<Assertion[]> {
  const routed = await readRoutedService(ctx, { code: 'L05.VS', service: 'reviews', namespace: 'default' });
  if (!routed.vs) return routed.assertions;
  return [
    ...routed.assertions,
    ...catchAllShareFindings({
      vs: routed.vs,
      host: routed.host,
      target,
      dr: routed.dr,
      pods: routed.pods,
      serviceSelector: routed.serviceSelector,
    }),
  ];
}
