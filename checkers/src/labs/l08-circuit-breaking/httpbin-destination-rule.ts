import { oneDestinationRule, serviceFqdn, type CheckContext } from '../../check-api';

/** The DestinationRule the intro clients (fortio, curl) get for httpbin.intro; `missingHint` names a catalogue hint of L08.DR. */
export async function httpbinDestinationRule(ctx: Pick<CheckContext, 'cluster'>, missingHint?: 'noOutlier') {
  return oneDestinationRule(await ctx.cluster.destinationRules(), {
    code: 'L08.DR',
    params: { service: 'httpbin' },
    host: serviceFqdn('httpbin', 'intro'),
    clientNamespace: 'intro',
    serviceNamespace: 'intro',
    lessonName: 'httpbin',
    missingHint,
  });
}
