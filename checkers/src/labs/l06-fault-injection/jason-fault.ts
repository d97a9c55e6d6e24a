import {
  catchAllIndex,
  faultPercent,
  finding,
  firstRuleForHeader,
  headerMatchKind,
  kindRef,
  matchesOnCookie,
  readRoutedService,
  serviceFqdn,
  virtualServicesForHost,
  type Assertion,
  type CheckContext,
  type HttpRoute,
  type VirtualService,
} from '../../check-api';
import { formatMs, parseIstioDuration } from '../../istio/istio-duration';

const vsRef = (vs: VirtualService) => kindRef('VirtualService', vs);

export type FaultKind = 'delay' | 'abort';

/** productpage → reviews has a 3 s timeout and one retry, so a ratings delay must exceed ~6 s to show the bug. */
export const minDelayMs = 7_000;

/**
 * The ratings VS injects a fault for user jason only: a rule matching `end-user: jason` (the header
 * productpage adds from its login session) carries `fault.<kind>` at 100 %, everyone else is routed normally.
 */
export async function jasonFaultAssertions(ctx: Pick<CheckContext, 'cluster'>, kind: FaultKind): Promise<Assertion[]> {
  const routed = await readRoutedService(ctx, { code: 'L06.VS', service: 'ratings', namespace: 'default' });
  const out: Assertion[] = [...routed.assertions];
  const reviewsFqdn = serviceFqdn('reviews', 'default');
  const reviewsWithFault = virtualServicesForHost(routed.allVirtualServices, {
    host: reviewsFqdn,
    clientNamespace: 'default',
  }).applies.filter((v) => (v.spec.http ?? []).some((r) => r.fault !== undefined));
  if (reviewsWithFault.length > 0) {
    out.push(
      finding('L06.FAULT_ON_REVIEWS').fail({
        expected: `fault in the VirtualService for ${routed.host}`,
        actual: `${vsRef(reviewsWithFault[0]!)} has a fault`,
        next: 'kubectl get virtualservice -n default reviews -o yaml',
        path: vsRef(reviewsWithFault[0]!),
      }),
    );
  }
  const vs = routed.vs;
  if (!vs) return out;
  const http: HttpRoute[] = vs.spec.http ?? [];
  const ji = firstRuleForHeader(http, 'end-user', 'jason');
  const ci = catchAllIndex(http);
  const catchAllFault = ci >= 0 ? http[ci]!.fault?.[kind] : undefined;
  const next = `kubectl get virtualservice -n ${vs.metadata.namespace} ${vs.metadata.name} -o yaml`;

  if (catchAllFault !== undefined && (ji < 0 || ci < ji)) {
    out.push(
      finding('L06.FAULT_FOR_EVERYONE').fail({
        expected: `fault.${kind} on a rule matching header end-user: jason`,
        actual: `the rule without match http[${ci}] carries the fault, so every user gets it`,
        next,
        path: `${vsRef(vs)} .spec.http[${ci}].fault`,
      }),
    );
    return out;
  }
  if (ji < 0) {
    out.push(
      finding('L06.JASON_RULE').fail({
        expected: 'a rule with match headers end-user exact "jason"',
        actual: matchesOnCookie(http) ? 'a rule matches on the cookie header' : 'no rule matches end-user: jason',
        ...(matchesOnCookie(http) ? { hint: 'cookie' } : {}),
        next,
        path: `${vsRef(vs)} .spec.http`,
      }),
    );
    return out;
  }
  if (ci >= 0 && ci < ji) {
    out.push(
      finding('IST0130', { rule: 'jason' }).fail({
        expected: `jason rule before the rule without match`,
        actual: `rule http[${ci}] without match comes first, so http[${ji}] is never used`,
        next: `istioctl analyze -n ${vs.metadata.namespace}`,
        path: `${vsRef(vs)} .spec.http`,
      }),
    );
    return out;
  }
  const rule = http[ji]!;
  const rulePath = `${vsRef(vs)} .spec.http[${ji}]`;
  const matchKind = (rule.match ?? []).map((m) => headerMatchKind(m, 'end-user', 'jason')).find((k) => k !== undefined);
  out.push(finding('L06.JASON_RULE').pass({ path: rulePath }));
  if (matchKind && matchKind !== 'exact') {
    out.push(
      finding('L06.JASON_MATCH_KIND', { matchKind }).warn({
        expected: 'end-user exact: jason',
        actual: `end-user ${matchKind} match`,
        path: rulePath,
      }),
    );
  }

  const fault = rule.fault?.[kind] as Record<string, unknown> | undefined;
  if (!fault) {
    out.push(
      finding(kind === 'delay' ? 'L06.DELAY' : 'L06.ABORT', { min: formatMs(minDelayMs) }).fail({
        expected: kind === 'delay' ? `fault.delay.fixedDelay ≥ ${formatMs(minDelayMs)}` : 'fault.abort.httpStatus: 500',
        actual: rule.fault ? `fault has ${Object.keys(rule.fault).join(', ')}` : 'no fault on the jason rule',
        hint: 'missing',
        next,
        path: `${rulePath}.fault`,
      }),
    );
  } else {
    if (kind === 'delay') {
      const ms = parseIstioDuration(typeof fault['fixedDelay'] === 'string' ? fault['fixedDelay'] : undefined);
      const delay = finding('L06.DELAY', { min: formatMs(minDelayMs) });
      out.push(
        ms !== undefined && ms >= minDelayMs
          ? delay.pass({ actual: String(fault['fixedDelay']) })
          : delay.fail({
              expected: `fixedDelay ≥ ${formatMs(minDelayMs)}`,
              actual: fault['fixedDelay'] === undefined ? 'no fixedDelay' : String(fault['fixedDelay']),
              next,
              path: `${rulePath}.fault.delay.fixedDelay`,
            }),
      );
    } else {
      const status = fault['httpStatus'];
      const abort = finding('L06.ABORT');
      out.push(
        status === 500
          ? abort.pass({ actual: '500' })
          : abort.fail({
              expected: 'fault.abort.httpStatus: 500',
              actual: status === undefined ? 'no httpStatus' : String(status),
              next,
              path: `${rulePath}.fault.abort.httpStatus`,
            }),
      );
    }
    const fp = faultPercent(fault as { percentage?: { value?: number }; percent?: number }, kind);
    const pct = { value: fp.percent, source: fp.from };
    const percentage = finding('L06.FAULT_PERCENTAGE', { kind });
    if (pct.value >= 100 && pct.source === 'percentage') {
      out.push(percentage.pass({ actual: 'percentage.value 100' }));
    } else if (pct.value >= 100 && pct.source === 'percent') {
      out.push(
        percentage.warn({
          expected: 'percentage: {value: 100}',
          actual: 'percent: 100 (deprecated integer field)',
          hint: 'deprecated',
          path: `${rulePath}.fault.${kind}`,
        }),
      );
    } else {
      out.push(
        percentage.fail({
          expected: 'percentage: {value: 100}',
          actual:
            pct.source === 'omitted' ? 'percentage omitted (istiod injects into 0% of requests)' : `${pct.value}%`,
          ...(pct.source === 'omitted' ? { hint: 'omitted' } : {}),
          next,
          path: `${rulePath}.fault.${kind}`,
        }),
      );
    }
  }
  if (kind === 'abort' && rule.fault?.delay) {
    out.push(
      finding('L06.DELAY_LEFT').fail({
        expected: 'fault.abort only',
        actual: `fault.delay ${rule.fault.delay.fixedDelay ?? ''} is still there`,
        next,
        path: `${rulePath}.fault.delay`,
      }),
    );
  }
  if (ci < 0) {
    out.push(
      finding('L06.OTHERS_ROUTE').fail({
        expected: 'a last rule without match routing to ratings v1',
        actual: 'no rule without match: requests of other users find no route (404 NR)',
        next,
        path: `${vsRef(vs)} .spec.http`,
      }),
    );
  }
  return out;
}
