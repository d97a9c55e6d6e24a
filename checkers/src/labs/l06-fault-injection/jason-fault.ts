import {
  catchAllIndex,
  faultPercent,
  fail,
  firstRuleForHeader,
  headerMatchKind,
  kindRef,
  matchesOnCookie,
  pass,
  readRoutedService,
  serviceFqdn,
  virtualServicesForHost,
  warn,
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
      fail('L06.FAULT_ON_REVIEWS', 'the fault sits on the ratings VirtualService', {
        expected: `fault in the VirtualService for ${routed.host}`,
        actual: `${vsRef(reviewsWithFault[0]!)} has a fault`,
        hint: 'The fault belongs on ratings: reviews v2 calls ratings, and the lesson breaks that hop. Remove the fault from the reviews VirtualService.',
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
      fail('L06.FAULT_FOR_EVERYONE', 'the fault applies to jason only', {
        expected: `fault.${kind} on a rule matching header end-user: jason`,
        actual: `the rule without match http[${ci}] carries the fault, so every user gets it`,
        hint: 'Put the fault on a rule with `match: [{headers: {end-user: {exact: jason}}}]` and keep a last rule without match (and without fault) for everyone else.',
        next,
        path: `${vsRef(vs)} .spec.http[${ci}].fault`,
      }),
    );
    return out;
  }
  if (ji < 0) {
    out.push(
      fail('L06.JASON_RULE', 'a rule matches the logged-in user jason', {
        expected: 'a rule with match headers end-user exact "jason"',
        actual: matchesOnCookie(http) ? 'a rule matches on the cookie header' : 'no rule matches end-user: jason',
        hint: matchesOnCookie(http)
          ? 'Old docs matched on `cookie: user=jason`; productpage now sends the user in the `end-user` header. Match `headers: {end-user: {exact: jason}}`.'
          : 'productpage adds the header `end-user: <user>` on its calls when you are logged in; match it with `headers: {end-user: {exact: jason}}`.',
        next,
        path: `${vsRef(vs)} .spec.http`,
      }),
    );
    return out;
  }
  if (ci >= 0 && ci < ji) {
    out.push(
      fail('IST0130', 'the jason rule comes before the catch-all rule', {
        expected: `jason rule before the rule without match`,
        actual: `rule http[${ci}] without match comes first, so http[${ji}] is never used`,
        hint: 'Rules are tried in order and the first match wins: move the jason rule above the rule without match.',
        next: `istioctl analyze -n ${vs.metadata.namespace}`,
        path: `${vsRef(vs)} .spec.http`,
      }),
    );
    return out;
  }
  const rule = http[ji]!;
  const rulePath = `${vsRef(vs)} .spec.http[${ji}]`;
  const matchKind = (rule.match ?? []).map((m) => headerMatchKind(m, 'end-user', 'jason')).find((k) => k !== undefined);
  out.push(pass('L06.JASON_RULE', 'a rule matches the logged-in user jason', { path: rulePath }));
  if (matchKind && matchKind !== 'exact') {
    out.push(
      warn('L06.JASON_MATCH_KIND', 'jason is matched exactly', {
        expected: 'end-user exact: jason',
        actual: `end-user ${matchKind} match`,
        hint: `A ${matchKind} match also catches other user names; accepted, but exact is what the lesson uses.`,
        path: rulePath,
      }),
    );
  }

  const fault = rule.fault?.[kind] as Record<string, unknown> | undefined;
  if (!fault) {
    out.push(
      fail(
        kind === 'delay' ? 'L06.DELAY' : 'L06.ABORT',
        `the jason rule injects ${kind === 'delay' ? 'a delay' : 'an abort'}`,
        {
          expected:
            kind === 'delay' ? `fault.delay.fixedDelay ≥ ${formatMs(minDelayMs)}` : 'fault.abort.httpStatus: 500',
          actual: rule.fault ? `fault has ${Object.keys(rule.fault).join(', ')}` : 'no fault on the jason rule',
          hint:
            kind === 'delay'
              ? 'Add `fault: {delay: {fixedDelay: 7s, percentage: {value: 100}}}` to the jason rule.'
              : 'Replace the delay with `fault: {abort: {httpStatus: 500, percentage: {value: 100}}}` on the jason rule.',
          next,
          path: `${rulePath}.fault`,
        },
      ),
    );
  } else {
    if (kind === 'delay') {
      const ms = parseIstioDuration(typeof fault['fixedDelay'] === 'string' ? fault['fixedDelay'] : undefined);
      out.push(
        ms !== undefined && ms >= minDelayMs
          ? pass('L06.DELAY', `the jason rule delays ratings by at least ${formatMs(minDelayMs)}`, {
              actual: String(fault['fixedDelay']),
            })
          : fail('L06.DELAY', `the jason rule delays ratings by at least ${formatMs(minDelayMs)}`, {
              expected: `fixedDelay ≥ ${formatMs(minDelayMs)}`,
              actual: fault['fixedDelay'] === undefined ? 'no fixedDelay' : String(fault['fixedDelay']),
              hint: 'productpage gives reviews 3 s and retries once (≈6 s in total); a shorter delay is absorbed and the bug never shows. Use 7s.',
              next,
              path: `${rulePath}.fault.delay.fixedDelay`,
            }),
      );
    } else {
      const status = fault['httpStatus'];
      out.push(
        status === 500
          ? pass('L06.ABORT', 'the jason rule aborts ratings with HTTP 500', { actual: '500' })
          : fail('L06.ABORT', 'the jason rule aborts ratings with HTTP 500', {
              expected: 'fault.abort.httpStatus: 500',
              actual: status === undefined ? 'no httpStatus' : String(status),
              hint: 'Set `httpStatus: 500` so ratings answers jason with a server error.',
              next,
              path: `${rulePath}.fault.abort.httpStatus`,
            }),
      );
    }
    const fp = faultPercent(fault as { percentage?: { value?: number }; percent?: number }, kind);
    const pct = { value: fp.percent, source: fp.from };
    const pctTitle = `the ${kind} applies to 100% of jason's requests`;
    if (pct.value >= 100 && pct.source === 'percentage') {
      out.push(pass('L06.FAULT_PERCENTAGE', pctTitle, { actual: 'percentage.value 100' }));
    } else if (pct.value >= 100 && pct.source === 'percent') {
      out.push(
        warn('L06.FAULT_PERCENTAGE', pctTitle, {
          expected: 'percentage: {value: 100}',
          actual: 'percent: 100 (deprecated integer field)',
          hint: 'Works today, but `percent` is deprecated; prefer `percentage: {value: 100}`.',
          path: `${rulePath}.fault.${kind}`,
        }),
      );
    } else {
      out.push(
        fail('L06.FAULT_PERCENTAGE', pctTitle, {
          expected: 'percentage: {value: 100}',
          actual:
            pct.source === 'omitted' ? 'percentage omitted (istiod injects into 0% of requests)' : `${pct.value}%`,
          hint:
            pct.source === 'omitted'
              ? 'Without `percentage` the fault is injected into 0% of requests — nothing happens. Add `percentage: {value: 100}` (an object, not a bare number).'
              : "Only part of jason's requests get the fault; set `percentage: {value: 100}`.",
          next,
          path: `${rulePath}.fault.${kind}`,
        }),
      );
    }
  }
  if (kind === 'abort' && rule.fault?.delay) {
    out.push(
      fail('L06.DELAY_LEFT', 'the delay was replaced by the abort', {
        expected: 'fault.abort only',
        actual: `fault.delay ${rule.fault.delay.fixedDelay ?? ''} is still there`,
        hint: 'With the 7 s delay still in place productpage gives up on reviews first and you never see the ratings error. Remove `delay`.',
        next,
        path: `${rulePath}.fault.delay`,
      }),
    );
  }
  if (ci < 0) {
    out.push(
      fail('L06.OTHERS_ROUTE', 'other users are still routed to ratings', {
        expected: 'a last rule without match routing to ratings v1',
        actual: 'no rule without match: requests of other users find no route (404 NR)',
        hint: 'Keep a final rule without match that routes to subset v1.',
        next,
        path: `${vsRef(vs)} .spec.http`,
      }),
    );
  }
  return out;
}
