import {
  catchAllIndex,
  finding,
  firstRuleForHeader,
  kindRef,
  serviceFqdn,
  virtualServicesForHost,
  type Assertion,
  type CheckContext,
  type VirtualService,
} from '../../check-api';
import type { FaultKind } from './jason-fault';

const vsRef = (vs: VirtualService) => kindRef('VirtualService', vs);
const meshVirtualServicesFor = (all: VirtualService[], host: string) =>
  virtualServicesForHost(all, { host, clientNamespace: 'default' }).applies;

/**
 * Where the learner's fault sits, for the observe steps: their probes cannot tell every placement apart
 * (anonymous users reach reviews v1, which never calls ratings, so a fault for everyone looks like one
 * for jason; a delay on reviews makes jason's page look the same), so the hints read the VirtualServices.
 */
export interface FaultPlacement {
  /** A mesh VS for reviews with a fault on any rule: the fault is one hop too early. */
  reviewsWithFault: VirtualService | undefined;
  /** The ratings rule without match carries `fault.<kind>` ahead of any jason rule, so every caller gets it. */
  ratingsForEveryone: { vs: VirtualService; index: number } | undefined;
}

export async function readFaultPlacement(ctx: Pick<CheckContext, 'cluster'>, kind: FaultKind): Promise<FaultPlacement> {
  const all = await ctx.cluster.virtualServices();
  const reviewsWithFault = meshVirtualServicesFor(all, serviceFqdn('reviews', 'default')).find((v) =>
    (v.spec.http ?? []).some((r) => r.fault !== undefined),
  );
  let ratingsForEveryone: FaultPlacement['ratingsForEveryone'];
  for (const vs of meshVirtualServicesFor(all, serviceFqdn('ratings', 'default'))) {
    const http = vs.spec.http ?? [];
    const ci = catchAllIndex(http);
    const ji = firstRuleForHeader(http, 'end-user', 'jason');
    if (ci >= 0 && http[ci]!.fault?.[kind] !== undefined && (ji < 0 || ci < ji)) ratingsForEveryone = { vs, index: ci };
  }
  return { reviewsWithFault, ratingsForEveryone };
}

/** Fails when the fault on ratings reaches every user, even if the anonymous page happens to look fine. */
export function faultScopeAssertion(placement: FaultPlacement, kind: FaultKind): Assertion {
  const scope = finding('L06.FAULT_FOR_EVERYONE', { kind });
  const found = placement.ratingsForEveryone;
  if (!found) return scope.pass();
  return scope.fail({
    expected: `fault.${kind} only on the rule matching end-user: jason`,
    actual: `the rule without match http[${found.index}] of ${vsRef(found.vs)} carries the ${kind}`,
    hint: 'looksFine',
    next: `kubectl get virtualservice -n ${found.vs.metadata.namespace} ${found.vs.metadata.name} -o yaml`,
    path: `${vsRef(found.vs)} .spec.http[${found.index}].fault`,
  });
}

/** The telemetry finding for a fault kind, naming the reviews VS when the fault sits one hop too early. */
export function promFaultFinding(placement: FaultPlacement, kind: FaultKind) {
  const vs = placement.reviewsWithFault;
  const code = kind === 'delay' ? 'L06.PROM_DELAY_INJECTED' : 'L06.PROM_ABORT_INJECTED';
  return { finding: finding(code, { kind, vs: vs ? vsRef(vs) : '' }), hint: vs ? 'reviewsHop' : undefined };
}
