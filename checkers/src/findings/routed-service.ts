import type { V1Pod } from '@kubernetes/client-node';
import type { Assertion } from '../check-result';
import type { CheckCode } from '../catalogue/check-codes';
import type { CheckContext } from '../check-api';
import type { DestinationRule, VirtualService } from '../istio/istio-schemas';
import { serviceFqdn } from '../istio/rules/host-names';
import { oneDestinationRule } from './destination-rule-findings';
import { oneVirtualService } from './virtual-service-findings';

export interface RoutedService {
  host: string;
  vs: VirtualService | undefined;
  dr: DestinationRule | undefined;
  /** Findings about the VS (found / IST0109 / cause / name note) and a duplicated DR; a missing DR is silent. */
  assertions: Assertion[];
  allVirtualServices: VirtualService[];
  pods: V1Pod[];
  serviceSelector: Record<string, string> | undefined;
}

/**
 * The VirtualService and DestinationRule a Service's clients get (by meaning, every namespace), and
 * the Service's pods for subset checks. `code` is the lab's VS code; its catalogue `hints` may hold
 * the lesson's wording for a missing VS (`missingHint`).
 */
export async function readRoutedService(
  ctx: Pick<CheckContext, 'cluster'>,
  o: { code: CheckCode; service: string; namespace: string; clientNamespace?: string; lessonVsName?: string; missingHint?: string },
): Promise<RoutedService> {
  const host = serviceFqdn(o.service, o.namespace);
  const client = o.clientNamespace ?? o.namespace;
  const [vss, drs, pods, svc] = await Promise.all([ctx.cluster.virtualServices(), ctx.cluster.destinationRules(), ctx.cluster.pods(o.namespace), ctx.cluster.service(o.namespace, o.service)]);
  const vsFound = oneVirtualService(vss, { code: o.code, params: { service: o.service, namespace: o.namespace }, host, clientNamespace: client, lessonName: o.lessonVsName ?? o.service, lessonNamespace: o.namespace, missingHint: o.missingHint });
  const drFound = oneDestinationRule(drs, { code: o.code, params: { service: o.service, namespace: o.namespace }, host, clientNamespace: client, serviceNamespace: o.namespace, lessonName: o.service });
  return {
    host,
    vs: vsFound.object,
    dr: drFound.object,
    assertions: [...vsFound.assertions, ...drFound.assertions.filter((a) => a.code === 'MESH.DR_DUPLICATE')],
    allVirtualServices: vss,
    pods,
    serviceSelector: svc?.spec?.selector,
  };
}
