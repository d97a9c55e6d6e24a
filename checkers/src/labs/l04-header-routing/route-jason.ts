import {
  defineCheck,
  destinationRulesForHost,
  fail,
  fqdn,
  oneMeshVirtualService,
  pass,
  refOf,
  virtualServicesForHost,
  warn,
  type Assertion,
  type HttpRoute,
  type StringMatch,
} from '../../check-api';

const ns = 'default';
const user = 'jason';

function endUserMatch(rule: HttpRoute): StringMatch | undefined {
  return rule.match?.map((m) => m.headers?.['end-user']).find((h) => h !== undefined);
}

function matchesJason(m: StringMatch): 'exact' | 'loose' | false {
  if (m.exact === user) return 'exact';
  if (m.prefix !== undefined && user.startsWith(m.prefix) && m.prefix.length > 0) return 'loose';
  if (m.regex !== undefined) {
    try {
      if (new RegExp(`^(?:${m.regex})$`).test(user)) return 'loose';
    } catch {
      return 'loose';
    }
  }
  return false;
}

function subsetsOf(rule: HttpRoute): string[] {
  return (rule.route ?? []).filter((r, _i, all) => all.length === 1 || (r.weight ?? 0) > 0).map((r) => r.destination.subset ?? '(none)');
}

/** Step 1: reviews VS — first rule end-user: jason → v2, last rule (no match) → v1. */
export const routeJason = defineCheck({
  labId: 'l04-header-routing',
  stepId: 'route-jason',
  kind: 'state',
  async run({ cluster }) {
    const [vss, drs] = await Promise.all([cluster.virtualServices(), cluster.destinationRules()]);
    const { found: vs, problems } = oneMeshVirtualService(vss, 'reviews', ns, 'L04.VS_REVIEWS', { hint: 'Edit the reviews VirtualService from L03: add a rule for jason before the default route.', next: 'kubectl get virtualservice reviews -n default -o yaml' });
    if (!vs) return problems;
    const ref = refOf(vs);
    const rules = vs.spec.http ?? [];
    const path = `VirtualService ${ref} .spec.http`;
    const out: Assertion[] = [];
    const jasonIndex = rules.findIndex((r) => {
      const m = endUserMatch(r);
      return m !== undefined && matchesJason(m) !== false;
    });
    if (jasonIndex < 0) {
      const cookieRule = rules.find((r) => r.match?.some((m) => m.headers?.['cookie'] !== undefined));
      const onProductpage = virtualServicesForHost(vss, 'productpage', ns).find((v) => (v.spec.http ?? []).some((r) => endUserMatch(r)));
      const hint = cookieRule
        ? 'Matching the cookie is an old recipe: productpage now sends the logged-in user in the end-user header on its call to reviews. Match headers: {end-user: {exact: jason}}.'
        : onProductpage
          ? `The end-user rule is on the productpage VirtualService (${refOf(onProductpage)}), but productpage adds that header only on its own call to reviews; put the rule on the reviews VirtualService.`
          : 'Add a first rule that matches headers: {end-user: {exact: jason}} and routes to subset v2.';
      return [fail('L04.JASON_RULE', 'a rule matches the end-user header jason', { expected: 'match: [{headers: {end-user: {exact: jason}}}]', actual: 'no rule matches end-user', hint, path })];
    }
    const jason = rules[jasonIndex] as HttpRoute;
    const kind = matchesJason(endUserMatch(jason) as StringMatch);
    if (kind === 'loose') out.push(warn('L04.JASON_MATCH', 'the jason rule matches the header exactly', { expected: 'exact: jason', actual: JSON.stringify(endUserMatch(jason)), hint: 'A prefix or regex works for jason but may also match other users; exact is what the lesson uses.', path: `${path}[${jasonIndex}].match` }));
    else out.push(pass('L04.JASON_MATCH', 'a rule matches end-user: jason exactly'));
    const earlierCatchAll = rules.slice(0, jasonIndex).findIndex((r) => !r.match || r.match.length === 0);
    if (earlierCatchAll >= 0) out.push(fail('IST0130', 'no catch-all rule comes before the jason rule', { expected: 'the jason rule first, the default route last', actual: `rule ${earlierCatchAll} has no match and comes first`, hint: 'Rules are tried in order: a rule without match catches every request, so the jason rule after it is never used (IST0130 VirtualServiceUnreachableRule). Move the default route to the end.', path }));
    const jasonSubsets = subsetsOf(jason);
    if (jasonSubsets.every((s) => s === 'v2')) out.push(pass('L04.JASON_V2', 'jason is routed to subset v2'));
    else out.push(fail('L04.JASON_V2', 'jason is routed to subset v2', { expected: 'subset v2', actual: jasonSubsets.join(', '), hint: 'The jason rule must send every request to subset v2 (black stars).', path: `${path}[${jasonIndex}].route` }));
    const last = rules[rules.length - 1];
    if (earlierCatchAll >= 0) {
      // The default route exists but sits first; IST0130 above already says what to do.
    } else if (!last || (last.match && last.match.length > 0) || rules.length < 2) out.push(fail('L04.DEFAULT_V1', 'the last rule (no match) sends everyone else to v1', { expected: 'a last rule without match → subset v1', actual: rules.length < 2 ? 'only the jason rule' : 'the last rule has a match', hint: 'Without a default route, requests from other users match no rule and fail.', path }));
    else if (subsetsOf(last).every((s) => s === 'v1')) out.push(pass('L04.DEFAULT_V1', 'the last rule (no match) sends everyone else to v1'));
    else out.push(fail('L04.DEFAULT_V1', 'the last rule (no match) sends everyone else to v1', { expected: 'subset v1', actual: subsetsOf(last).join(', '), hint: 'Everyone but jason keeps the v1 behaviour of L03: the default route names subset v1.', path: `${path}[${rules.length - 1}].route` }));
    const dr = destinationRulesForHost(drs, 'reviews', ns)[0];
    const used = new Set([...jasonSubsets, ...(last ? subsetsOf(last) : [])].filter((s) => s !== '(none)'));
    const missing = [...used].filter((s) => !dr?.spec.subsets?.some((x) => x.name === s));
    if (missing.length) out.push(fail('IST0101', `subsets ${[...used].join(', ')} of reviews are defined`, { expected: `a DestinationRule for ${fqdn('reviews', ns)} with ${[...used].join(', ')}`, actual: `missing: ${missing.join(', ')}`, hint: 'Referenced host+subset in destinationrule not found (IST0101): jason would get 503. Add the subset to the reviews DestinationRule.', next: `istioctl analyze -n ${ns}` }));
    return out;
  },
});
