import type { Assertion } from '../check-result';
import type { CheckCode } from '../catalogue/check-codes';
import { finding } from '../catalogue/findings';
import type { TemplateParams } from '../catalogue/render-template';
import type { DestinationRule } from '../istio/istio-schemas';
import { destinationRuleFor, rootNamespace } from '../istio/rules/destination-rule-for-host';
import { visibleFrom } from '../istio/rules/export-to';
import { isPartialServiceName, likelyMeantService, resolveHost } from '../istio/rules/host-names';
import { kindRef, refOf } from '../istio/rules/object-refs';
import type { FoundObject } from './virtual-service-findings';

export interface OneDestinationRuleOptions {
  code: CheckCode;
  params?: TemplateParams;
  host: string;
  clientNamespace: string;
  /** Namespace of the Service behind the host; the lesson's namespace for the DR. */
  serviceNamespace: string;
  lessonName: string;
  /** Where the lesson creates it; defaults to the Service's namespace. */
  lessonNamespace?: string;
  next?: string;
  /** Name of a `hints` entry of `code`: the lesson's wording when no DR exists yet. */
  missingHint?: string;
}

/**
 * "The DestinationRule for host X as the client gets it" (rule destinationRuleFor: client namespace,
 * then the Service's, then the root namespace; exportTo applied). Duplicates of the winning level:
 * MESH.DR_DUPLICATE ("keep one", no analyzer code). None: the cause when one is close (in a namespace
 * that does not reach the client, a `name.ns` host, a short host resolved elsewhere with its FQDN),
 * else the lab's hint.
 */
export function oneDestinationRule(all: DestinationRule[], o: OneDestinationRuleOptions): FoundObject<DestinationRule> {
  const applied = destinationRuleFor(all, { host: o.host, clientNamespace: o.clientNamespace, serviceNamespace: o.serviceNamespace });
  const lessonNamespace = o.lessonNamespace ?? o.serviceNamespace;
  const common = { host: o.host, client: o.clientNamespace, namespace: lessonNamespace };
  // Same-level duplicates are merged by istiod; one level shadowing another works but reads as a
  // mistake in a lesson (which one wins is not obvious), so both count as "keep one".
  const shadowed = applied.ignored.filter((d) => resolveHost(d.spec.host, d.metadata.namespace) === o.host && [o.clientNamespace, o.serviceNamespace, rootNamespace].includes(d.metadata.namespace) && visibleFrom(d.spec.exportTo, d.metadata.namespace, o.clientNamespace));
  const duplicates = applied.dr && resolveHost(applied.dr.spec.host, applied.dr.metadata.namespace) === o.host ? [...applied.sameLevel, ...shadowed] : applied.sameLevel;
  if (duplicates.length > 1) {
    return {
      object: undefined,
      assertions: [
        finding('MESH.DR_DUPLICATE', { host: o.host }).fail({
          expected: 'exactly one DestinationRule for this host',
          actual: duplicates.map(refOf).join(', '),
          next: 'kubectl get destinationrule -A',
          path: duplicates.map((d) => kindRef('DestinationRule', d)).join(', '),
        }),
      ],
    };
  }
  const dr = applied.dr;
  if (dr) {
    const ref = kindRef('DestinationRule', dr);
    const out: Assertion[] = [finding(o.code, o.params).pass({ actual: ref, path: ref })];
    if (dr.metadata.name !== o.lessonName || dr.metadata.namespace !== lessonNamespace) {
      out.push(finding('MESH.DR_NAME', { dr: ref, lessonName: `${lessonNamespace}/${o.lessonName}` }).warn({ expected: `${lessonNamespace}/${o.lessonName} (the lesson's name)`, actual: refOf(dr), path: ref }));
    }
    return { object: dr, assertions: out };
  }
  const expected = `a DestinationRule with host ${o.host} that applies to clients in ${o.clientNamespace}`;
  const notApplied = applied.ignored.find((d) => resolveHost(d.spec.host, d.metadata.namespace) === o.host);
  if (notApplied) {
    const ref = kindRef('DestinationRule', notApplied);
    return { object: undefined, assertions: [finding('MESH.DR_NOT_APPLIED', { ...common, dr: ref }).fail({ expected, actual: `${ref} (exportTo ${JSON.stringify(notApplied.spec.exportTo ?? ['*'])})`, next: 'kubectl get destinationrule -A', path: ref })] };
  }
  const short = o.host.split('.')[0] ?? o.host;
  const partial = all.find((d) => isPartialServiceName(d.spec.host) && likelyMeantService(d.spec.host) === o.host);
  if (partial) {
    const ref = kindRef('DestinationRule', partial);
    return { object: undefined, assertions: [finding('MESH.DR_PARTIAL_NAME', { ...common, dr: ref, written: partial.spec.host, short }).fail({ expected, actual: `${ref} uses host ${partial.spec.host}`, next: 'kubectl get destinationrule -A', path: `${ref} .spec.host` })] };
  }
  const near = all.find((d) => d.spec.host.toLowerCase() === short);
  if (near) {
    const ref = kindRef('DestinationRule', near);
    const resolved = resolveHost(near.spec.host, near.metadata.namespace);
    return { object: undefined, assertions: [finding('MESH.DR_RESOLVES_ELSEWHERE', { ...common, dr: ref, written: near.spec.host, resolved }).fail({ expected, actual: `${ref} resolves to ${resolved}`, next: 'kubectl get destinationrule -A', path: `${ref} .spec.host` })] };
  }
  return { object: undefined, assertions: [finding(o.code, o.params).fail({ expected, actual: 'none found', next: o.next ?? 'kubectl get destinationrule -A', hint: o.missingHint })] };
}
