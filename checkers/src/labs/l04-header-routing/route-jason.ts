import {
  defineCheck,
  destinationRuleFor,
  finding,
  firstRuleForHeader,
  headerMatchKind,
  kindRef,
  matchesOnCookie,
  oneVirtualService,
  routeShares,
  serviceFqdn,
  subsetFindings,
  virtualServicesForHost,
  type Assertion,
  type HttpRoute,
  type VirtualService,
} from '../../check-api';

const ns = 'default';
const user = 'jason';

/** Subsets a rule sends traffic to (weight 0 left out). */
function subsetsOf(vs: VirtualService, i: number): string[] {
  return routeShares(vs, i)
    .filter((d) => d.share > 0)
    .map((d) => d.subset ?? '(none)');
}

/** Step 1: reviews VS — first rule end-user: jason → v2, last rule (no match) → v1. */
export const routeJason = defineCheck({
  labId: 'l04-header-routing',
  stepId: 'route-jason',
  kind: 'state',
  async run({ cluster }) {
    const host = serviceFqdn('reviews', ns);
    const [vss, drs, pods, svc] = await Promise.all([
      cluster.virtualServices(),
      cluster.destinationRules(),
      cluster.pods(ns),
      cluster.service(ns, 'reviews'),
    ]);
    const found = oneVirtualService(vss, {
      code: 'L04.VS',
      host,
      clientNamespace: ns,
      lessonName: 'reviews',
      lessonNamespace: ns,
      next: 'kubectl get virtualservice reviews -n default -o yaml',
    });
    const vs = found.object;
    if (!vs) return found.assertions;
    const ref = kindRef('VirtualService', vs);
    const rules: HttpRoute[] = vs.spec.http ?? [];
    const path = `${ref} .spec.http`;
    const next = `kubectl get virtualservice -n ${vs.metadata.namespace} ${vs.metadata.name} -o yaml`;
    const out: Assertion[] = [];
    const jasonIndex = firstRuleForHeader(rules, 'end-user', user);
    if (jasonIndex < 0) {
      const onProductpage = virtualServicesForHost(vss, {
        host: serviceFqdn('productpage', ns),
        clientNamespace: ns,
      }).applies.find((v) => firstRuleForHeader(v.spec.http, 'end-user', user) >= 0);
      const hint = matchesOnCookie(rules) ? 'cookie' : onProductpage ? 'onProductpage' : undefined;
      return [
        finding('L04.JASON_RULE', { vs: onProductpage ? kindRef('VirtualService', onProductpage) : '' }).fail({
          expected: 'match: [{headers: {end-user: {exact: jason}}}]',
          actual: 'no rule matches end-user',
          next,
          path,
          hint,
        }),
      ];
    }
    const kind = (rules[jasonIndex]!.match ?? [])
      .map((m) => headerMatchKind(m, 'end-user', user))
      .find((k) => k !== undefined);
    const match = finding('L04.JASON_MATCH');
    out.push(
      kind === 'exact'
        ? match.pass()
        : match.warn({
            expected: 'exact: jason',
            actual: JSON.stringify(rules[jasonIndex]!.match),
            path: `${path}[${jasonIndex}].match`,
          }),
    );
    const earlierCatchAll = rules.slice(0, jasonIndex).findIndex((r) => !r.match || r.match.length === 0);
    if (earlierCatchAll >= 0)
      out.push(
        finding('IST0130', { rule: 'jason' }).fail({
          expected: 'the jason rule first, the default route last',
          actual: `rule ${earlierCatchAll} has no match and comes first`,
          next: `istioctl analyze -n ${ns}`,
          path,
        }),
      );
    const jasonSubsets = subsetsOf(vs, jasonIndex);
    const jasonV2 = finding('L04.JASON_V2');
    out.push(
      jasonSubsets.every((s) => s === 'v2')
        ? jasonV2.pass()
        : jasonV2.fail({
            expected: 'subset v2',
            actual: jasonSubsets.join(', '),
            next,
            path: `${path}[${jasonIndex}].route`,
          }),
    );
    const lastIndex = rules.length - 1;
    const last = rules[lastIndex];
    const defaultV1 = finding('L04.DEFAULT_V1');
    // With the default route first, IST0130 above already says what to do.
    if (earlierCatchAll < 0) {
      if (!last || (last.match && last.match.length > 0) || rules.length < 2)
        out.push(
          defaultV1.fail({
            expected: 'a last rule without match → subset v1',
            actual: rules.length < 2 ? 'only the jason rule' : 'the last rule has a match',
            next,
            path,
          }),
        );
      else if (subsetsOf(vs, lastIndex).every((s) => s === 'v1')) out.push(defaultV1.pass());
      else
        out.push(
          defaultV1.fail({
            expected: 'subset v1',
            actual: subsetsOf(vs, lastIndex).join(', '),
            next,
            path: `${path}[${lastIndex}].route`,
            hint: 'subset',
          }),
        );
    }
    const used = [...jasonSubsets, ...(last ? subsetsOf(vs, lastIndex) : [])].filter((s) => s !== '(none)');
    const dr = destinationRuleFor(drs, { host, clientNamespace: ns, serviceNamespace: ns }).dr;
    out.push(
      ...subsetFindings(dr, used, {
        host,
        pods,
        serviceSelector: svc?.spec?.selector,
        path,
        next: `istioctl analyze -n ${ns}`,
      }),
    );
    return out;
  },
});
