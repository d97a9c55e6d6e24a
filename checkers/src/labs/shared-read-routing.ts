import type { Assertion, CheckContext, DestinationRule, VirtualService } from '../check-api';
import { findDestinationRule, findMeshVirtualService } from './shared-find-objects';
import { serviceFqdn } from './shared-mesh-hosts';

export interface RoutedService {
  fqdn: string;
  vs: VirtualService | undefined;
  dr: DestinationRule | undefined;
  /** Assertions about finding them (VS found / IST0109 / name note); the DR is looked up silently. */
  assertions: Assertion[];
  allVirtualServices: VirtualService[];
  allDestinationRules: DestinationRule[];
}

/** Reads the mesh VS and the DR of one Service (by meaning, every namespace). */
export async function readRoutedService(
  ctx: Pick<CheckContext, 'cluster'>,
  o: { lab: string; service: string; namespace: string; lessonVsName?: string; missingHint: string },
): Promise<RoutedService> {
  const fqdn = serviceFqdn(o.service, o.namespace);
  const [vss, drs] = await Promise.all([ctx.cluster.virtualServices(), ctx.cluster.destinationRules()]);
  const vsFound = findMeshVirtualService(vss, {
    code: `${o.lab}.VS_${o.service.toUpperCase().replace(/-/g, '_')}`,
    fqdn,
    lessonName: o.lessonVsName ?? o.service,
    lessonNamespace: o.namespace,
    missingHint: o.missingHint,
  });
  const drFound = findDestinationRule(drs, {
    code: `${o.lab}.DR_${o.service.toUpperCase().replace(/-/g, '_')}`,
    fqdn,
    lessonName: o.service,
    lessonNamespace: o.namespace,
    missingHint: `Apply the DestinationRule for ${o.service} with its subsets (the lab setup does it).`,
  });
  return {
    fqdn,
    vs: vsFound.object,
    dr: drFound.object,
    assertions: [...vsFound.assertions, ...drFound.assertions.filter((a) => a.code.endsWith('_DUPLICATE'))],
    allVirtualServices: vss,
    allDestinationRules: drs,
  };
}
