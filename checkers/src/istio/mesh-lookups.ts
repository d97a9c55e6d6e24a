import type { V1Pod } from '@kubernetes/client-node';
import { fail } from '../assertions';
import type { Assertion } from '../check-result';
import { clusterDomain, fqdn, isPartialServiceName } from '../hosts';
import { isReady, isRunning } from '../pods';
import { destinationRulesForHost, refOf, selectorMatches, virtualServicesForHost } from './find-objects';
import type { DestinationRule, VirtualService } from './istio-schemas';

export interface OneFound<T> {
  found?: T;
  /** Failing assertions when there is not exactly one (empty when `found` is set). */
  problems: Assertion[];
}

/**
 * "The VS for host X in the mesh", by meaning: exactly one VirtualService routing the host for
 * sidecars. None → a fail naming what to create; two or more → IST0109 (istiod merges them in no
 * useful order).
 */
export function oneMeshVirtualService(
  all: VirtualService[],
  host: string,
  ns: string,
  code: string,
  missing: { hint: string; next: string },
): OneFound<VirtualService> {
  const target = fqdn(host, ns);
  const found = virtualServicesForHost(all, host, ns, { mesh: true });
  const title = `one VirtualService routes ${host} inside the mesh`;
  if (found.length === 0) {
    const partial = partialNameFor(all.flatMap((vs) => vs.spec.hosts.map((h) => ({ h, ref: refOf(vs) }))), target);
    return { problems: [fail(code, title, { expected: `a VirtualService whose hosts include ${host} (${target})`, actual: partial ? `${partial.ref} uses host ${partial.h}` : 'none', ...(partial ? partialHint(partial.h, target, 'virtualservice') : missing) })] };
  }
  if (found.length > 1) {
    return {
      problems: [
        fail('IST0109', title, {
          expected: `exactly one VirtualService for ${target}`,
          actual: `${found.length}: ${found.map(refOf).join(', ')}`,
          hint: 'Several VirtualServices bind the same host for the mesh, so their rules are merged in no reliable order (IST0109). Keep one and delete the others.',
          next: `kubectl get virtualservice -A | grep ${host}`,
        }),
      ],
    };
  }
  return { found: found[0], problems: [] };
}

/** The DestinationRules for a host; more than one is a mistake the analyzer has no code for. */
export function oneDestinationRule(all: DestinationRule[], host: string, ns: string, code: string, missing: { hint: string; next: string }): OneFound<DestinationRule> {
  const target = fqdn(host, ns);
  const found = destinationRulesForHost(all, host, ns);
  const title = `one DestinationRule defines subsets for ${host}`;
  if (found.length === 0) {
    const partial = partialNameFor(all.map((dr) => ({ h: dr.spec.host, ref: refOf(dr) })), target);
    return { problems: [fail(code, title, { expected: `a DestinationRule with host ${host} (${target})`, actual: partial ? `${partial.ref} uses host ${partial.h}` : 'none', ...(partial ? partialHint(partial.h, target, 'destinationrule') : missing) })] };
  }
  if (found.length > 1) {
    return {
      problems: [
        fail(`${code}_DUPLICATE`, title, {
          expected: `exactly one DestinationRule for ${target}`,
          actual: `${found.length}: ${found.map(refOf).join(', ')}`,
          hint: 'Two DestinationRules for one host: only one of them takes effect, and which one is not obvious. Keep one.',
          next: `kubectl get destinationrule -A`,
        }),
      ],
    };
  }
  return { found: found[0], problems: [] };
}

/** A host written as `name.ns` or `name.ns.svc` that DNS would resolve to `target` but istiod does not. */
function partialNameFor(hosts: Array<{ h: string; ref: string }>, target: string): { h: string; ref: string } | undefined {
  return hosts.find(({ h }) => {
    if (!isPartialServiceName(h)) return false;
    const base = h.toLowerCase().replace(/\.$/, '').replace(/\.svc$/, '');
    return `${base}.svc.${clusterDomain}` === target;
  });
}

function partialHint(written: string, target: string, kind: string): { hint: string; next: string } {
  return {
    hint: `Istio expands only a bare service name: \`${written}\` is taken literally and matches no Service, so this ${kind} never applies. Write the short name (\`${target.split('.')[0]}\`) in the service's namespace, or the full name \`${target}\`.`,
    next: `kubectl get ${kind} -A -o yaml | grep -n '${written}'`,
  };
}

/** Running, Ready pods selected by a Service's selector plus a subset's labels. */
export function podsForSubset(pods: V1Pod[], serviceSelector: Record<string, string> | undefined, subsetLabels: Record<string, string> | undefined): V1Pod[] {
  return pods.filter(
    (p) => isRunning(p) && isReady(p) && selectorMatches(serviceSelector, p.metadata?.labels) && selectorMatches(subsetLabels, p.metadata?.labels),
  );
}

/** `{a: b, c: d}` → `a=b,c=d` for hints and kubectl -l. */
export function labelsText(labels: Record<string, string> | undefined): string {
  return Object.entries(labels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}
