import type { Assertion, DestinationRule, VirtualService } from '../check-api';
import { likelyMeantService, toFqdn } from './shared-mesh-hosts';
import { meshVirtualServicesFor, vsRef } from './shared-virtual-service-routes';

/**
 * Find Istio objects by what they do, not by name (CURRICULUM 2.0): "the VS whose hosts contain reviews
 * for the mesh". A different name passes with a note; two VS for one host fail with the IST0109 hint.
 */
export interface Found<T> {
  object: T | undefined;
  assertions: Assertion[];
}

export interface FindVsOptions {
  /** Assertion code, e.g. "L05.VS_REVIEWS". */
  code: string;
  /** FQDN of the routed host, e.g. reviews.default.svc.cluster.local. */
  fqdn: string;
  /** The name the lesson uses, for the "named differently" note. */
  lessonName: string;
  lessonNamespace: string;
  /** Shown when no VS exists yet. */
  missingHint: string;
  missingNext?: string;
}

export function findMeshVirtualService(all: VirtualService[], o: FindVsOptions): Found<VirtualService> {
  const found = meshVirtualServicesFor(all, o.fqdn);
  const title = `one VirtualService routes ${o.fqdn} for the mesh`;
  if (found.length > 1) {
    return {
      object: undefined,
      assertions: [
        {
          code: 'IST0109',
          title,
          status: 'fail',
          expected: `exactly one VirtualService for host ${o.fqdn}`,
          actual: `${found.length}: ${found.map((v) => `${v.metadata.namespace}/${v.metadata.name}`).join(', ')}`,
          hint: `Several VirtualServices bind the same host for the mesh, so istiod merges them in no useful order (IST0109). Keep one and delete the others.`,
          next: `kubectl delete virtualservice -n ${found[1]!.metadata.namespace} ${found[1]!.metadata.name}`,
          path: found.map(vsRef).join(', '),
        },
      ],
    };
  }
  const vs = found[0];
  if (!vs) {
    return { object: undefined, assertions: [missingVs(all, o, title)] };
  }
  const assertions: Assertion[] = [
    { code: o.code, title, status: 'pass', actual: vsRef(vs), path: vsRef(vs) },
  ];
  if (vs.metadata.name !== o.lessonName || vs.metadata.namespace !== o.lessonNamespace) {
    assertions.push({
      code: `${o.code}_NAME`,
      title: 'VirtualService found under another name',
      status: 'warn',
      expected: `${o.lessonNamespace}/${o.lessonName} (the lesson's name)`,
      actual: `${vs.metadata.namespace}/${vs.metadata.name}`,
      hint: 'Fine: the check found it by its host. Later steps and the lab cleanup use the lesson name.',
      path: vsRef(vs),
    });
  }
  return { object: vs, assertions };
}

function missingVs(all: VirtualService[], o: FindVsOptions, title: string): Assertion {
  const short = o.fqdn.split('.')[0] ?? o.fqdn;
  // A VS that looks meant for this host but resolves elsewhere (wrong namespace, `reviews.default`, gateway-only).
  const nearMiss = all.find((v) =>
    v.spec.hosts.some((h) => h === short || h.startsWith(`${short}.`) || toFqdn(h, v.metadata.namespace) === o.fqdn),
  );
  if (nearMiss) {
    const resolved = nearMiss.spec.hosts.map((h) => toFqdn(h, nearMiss.metadata.namespace));
    const meant = nearMiss.spec.hosts.map(likelyMeantService).find((x) => x !== undefined);
    const gatewayOnly = resolved.includes(o.fqdn);
    return {
      code: o.code,
      title,
      status: 'fail',
      expected: `a VirtualService for ${o.fqdn} that applies to sidecars (no gateways, or gateways include mesh)`,
      actual: gatewayOnly
        ? `${vsRef(nearMiss)} lists gateways ${JSON.stringify(nearMiss.spec.gateways)} without mesh`
        : `${vsRef(nearMiss)} resolves its hosts to ${resolved.join(', ')}`,
      hint: gatewayOnly
        ? 'A VirtualService with gateways applies only to those gateways; add `mesh` to gateways (or remove the field) so sidecars use it.'
        : meant
          ? `istiod does not expand names with a dot: write the short name \`${short}\` in namespace ${o.lessonNamespace} or the full ${o.fqdn}.`
          : `Short host names resolve relative to the VirtualService's namespace: create it in namespace ${o.lessonNamespace} or write the full ${o.fqdn}.`,
      next: `kubectl get virtualservice -A`,
      path: vsRef(nearMiss),
    };
  }
  return {
    code: o.code,
    title,
    status: 'fail',
    expected: `a VirtualService with hosts containing ${short} in namespace ${o.lessonNamespace}`,
    actual: 'none found',
    hint: o.missingHint,
    next: o.missingNext ?? `kubectl get virtualservice -n ${o.lessonNamespace}`,
  };
}

export function drRef(dr: DestinationRule): string {
  return `DestinationRule ${dr.metadata.namespace}/${dr.metadata.name}`;
}

/** DRs whose host resolves to `fqdn`. */
export function destinationRulesFor(all: DestinationRule[], fqdn: string): DestinationRule[] {
  return all.filter((dr) => toFqdn(dr.spec.host, dr.metadata.namespace) === fqdn);
}

export interface FindDrOptions {
  code: string;
  fqdn: string;
  lessonName: string;
  lessonNamespace: string;
  missingHint: string;
}

/** One DR per host: Istio has no analyzer code for duplicates, so the checker says "keep one" itself. */
export function findDestinationRule(all: DestinationRule[], o: FindDrOptions): Found<DestinationRule> {
  const found = destinationRulesFor(all, o.fqdn);
  const title = `one DestinationRule for ${o.fqdn}`;
  if (found.length > 1) {
    return {
      object: undefined,
      assertions: [
        {
          code: `${o.code}_DUPLICATE`,
          title,
          status: 'fail',
          expected: 'exactly one DestinationRule for this host',
          actual: found.map((d) => `${d.metadata.namespace}/${d.metadata.name}`).join(', '),
          hint: 'Two DestinationRules for one host: istiod uses only one of them and ignores the other. Keep one.',
          next: `kubectl get destinationrule -A`,
          path: found.map(drRef).join(', '),
        },
      ],
    };
  }
  const dr = found[0];
  if (!dr) {
    const short = o.fqdn.split('.')[0] ?? o.fqdn;
    const near = all.find((d) => d.spec.host === short || d.spec.host.startsWith(`${short}.`));
    return {
      object: undefined,
      assertions: [
        {
          code: o.code,
          title,
          status: 'fail',
          expected: `a DestinationRule with host ${o.fqdn}`,
          actual: near ? `${drRef(near)} resolves to ${toFqdn(near.spec.host, near.metadata.namespace)}` : 'none found',
          hint: near
            ? `Short host names resolve relative to the DestinationRule's namespace: put it in namespace ${o.lessonNamespace} or write host ${o.fqdn}.`
            : o.missingHint,
          next: `kubectl get destinationrule -A`,
          ...(near ? { path: drRef(near) } : {}),
        },
      ],
    };
  }
  const assertions: Assertion[] = [{ code: o.code, title, status: 'pass', actual: drRef(dr), path: drRef(dr) }];
  if (dr.metadata.name !== o.lessonName || dr.metadata.namespace !== o.lessonNamespace) {
    assertions.push({
      code: `${o.code}_NAME`,
      title: 'DestinationRule found under another name',
      status: 'warn',
      expected: `${o.lessonNamespace}/${o.lessonName} (the lesson's name)`,
      actual: `${dr.metadata.namespace}/${dr.metadata.name}`,
      hint: 'Fine: the check found it by its host. The lab cleanup uses the lesson name.',
      path: drRef(dr),
    });
  }
  return { object: dr, assertions };
}
