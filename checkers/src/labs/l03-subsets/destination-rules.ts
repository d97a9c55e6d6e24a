import { defineCheck, fail, fqdn, labelsText, oneDestinationRule, pass, podsForSubset, refOf, type Assertion } from '../../check-api';
import { bookinfoNs, bookinfoSubsets } from './bookinfo-services';

/** Step 1: one DR per Bookinfo service, subsets named after and selecting `version` labels, each with pods. */
export const destinationRules = defineCheck({
  labId: 'l03-subsets',
  stepId: 'destination-rules',
  kind: 'state',
  async run({ cluster }) {
    const [drs, services, pods] = await Promise.all([cluster.destinationRules(), cluster.services(bookinfoNs), cluster.pods(bookinfoNs)]);
    const out: Assertion[] = [];
    for (const [svc, { required }] of Object.entries(bookinfoSubsets)) {
      const code = `L03.DR_${svc.toUpperCase()}`;
      const { found: dr, problems } = oneDestinationRule(drs, svc, bookinfoNs, code, {
        hint: `Create a DestinationRule for ${svc} whose subsets select pods by their version label.`,
        next: `kubectl get pods -n ${bookinfoNs} -l app=${svc} --show-labels`,
      });
      out.push(...problems);
      if (!dr) continue;
      const ref = refOf(dr);
      const selector = services.find((s) => s.metadata?.name === svc)?.spec?.selector;
      const bad: Assertion[] = [];
      for (const name of required) {
        const subset = dr.spec.subsets?.find((s) => s.name === name);
        const path = `DestinationRule ${ref} .spec.subsets`;
        if (!subset) {
          bad.push(fail(`${code}_SUBSET`, `DestinationRule ${ref} has subset ${name}`, { expected: `subset ${name} with labels version: ${name}`, actual: `subsets: ${(dr.spec.subsets ?? []).map((s) => s.name).join(', ') || 'none'}`, hint: `Add subset ${name}; a route to a subset that no DestinationRule defines fails with 503 and flag NC (no cluster).`, path }));
          continue;
        }
        if (subset.labels?.['version'] !== name) {
          const wrongKey = Object.entries(subset.labels ?? {}).find(([, v]) => v === name)?.[0];
          bad.push(fail(`${code}_LABELS`, `subset ${name} selects version: ${name}`, { expected: `labels: {version: ${name}}`, actual: labelsText(subset.labels) || 'no labels', hint: wrongKey ? `The Bookinfo pods carry the version in the label "version", not "${wrongKey}": ${wrongKey}: ${name} matches no pod.` : `Select the pods with labels: {version: ${name}}.`, next: `kubectl get pods -n ${bookinfoNs} -l app=${svc} -L version`, path: `${path}[name=${name}].labels` }));
          continue;
        }
        if (podsForSubset(pods, selector, subset.labels).length === 0) {
          bad.push(fail('IST0173', `subset ${name} of ${svc} selects a Ready pod`, { expected: `≥ 1 Ready pod with ${labelsText({ ...selector, ...subset.labels })}`, actual: 'none', hint: 'The subset selects no pods (IST0173 DestinationRuleSubsetNotSelectPods): traffic routed to it fails with 503 (UH).', next: `kubectl get pods -n ${bookinfoNs} -l ${labelsText({ ...selector, ...subset.labels })}`, path: `${path}[name=${name}]` }));
        }
      }
      if (bad.length) out.push(...bad);
      else out.push(pass(code, `DestinationRule ${ref} defines subsets ${required.join(', ')} for ${svc}`, dr.metadata.name !== svc ? { hint: `Named ${dr.metadata.name} rather than ${svc}; that is fine, the host is what counts.` } : undefined));
    }
    // A DR whose host names no Service is usually a typo (IST0174); nothing applies it.
    const known = new Set(services.map((s) => fqdn(s.metadata?.name ?? '', bookinfoNs)));
    for (const dr of drs.filter((d) => d.metadata.namespace === bookinfoNs)) {
      const host = fqdn(dr.spec.host, dr.metadata.namespace);
      if (host.endsWith(`.${bookinfoNs}.svc.cluster.local`) && !known.has(host)) {
        out.push(fail('IST0174', `DestinationRule ${refOf(dr)} names an existing host`, { expected: `one of ${[...known].map((h) => h.split('.')[0]).join(', ')}`, actual: dr.spec.host, hint: 'No Service has this host, so the DestinationRule applies to nothing (IST0174 UnknownDestinationRuleHost). Check the spelling.', next: `kubectl get svc -n ${bookinfoNs}`, path: `DestinationRule ${refOf(dr)} .spec.host` }));
      }
    }
    return out;
  },
});
