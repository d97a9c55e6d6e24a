import {
  defineCheck,
  finding,
  kindRef,
  labelsText,
  oneDestinationRule,
  resolveHost,
  serviceFqdn,
  subsetFindings,
  type Assertion,
} from '../../check-api';
import { bookinfoNs, bookinfoSubsets } from './bookinfo-services';

/** Step 1: the DestinationRule Bookinfo gets per service, subsets named after and selecting `version` labels, each with Ready pods. */
export const destinationRules = defineCheck({
  labId: 'l03-subsets',
  stepId: 'destination-rules',
  kind: 'state',
  async run({ cluster }) {
    const [drs, services, pods] = await Promise.all([
      cluster.destinationRules(),
      cluster.services(bookinfoNs),
      cluster.pods(bookinfoNs),
    ]);
    const out: Assertion[] = [];
    for (const [service, { required }] of Object.entries(bookinfoSubsets)) {
      const host = serviceFqdn(service, bookinfoNs);
      const found = oneDestinationRule(drs, {
        code: 'L03.DR',
        params: { service, subsets: required.join(', ') },
        host,
        clientNamespace: bookinfoNs,
        serviceNamespace: bookinfoNs,
        lessonName: service,
        next: `kubectl get pods -n ${bookinfoNs} -l app=${service} --show-labels`,
      });
      const dr = found.object;
      if (!dr) {
        out.push(...found.assertions);
        continue;
      }
      const ref = kindRef('DestinationRule', dr);
      const bad: Assertion[] = [];
      for (const subset of required) {
        const s = dr.spec.subsets?.find((x) => x.name === subset);
        const params = { dr: ref, subset };
        if (!s) {
          bad.push(
            finding('L03.DR_SUBSET', params).fail({
              expected: `subset ${subset} with labels version: ${subset}`,
              actual: `subsets: ${(dr.spec.subsets ?? []).map((x) => x.name).join(', ') || 'none'}`,
              next: `kubectl get destinationrule -n ${dr.metadata.namespace} ${dr.metadata.name} -o yaml`,
              path: `${ref} .spec.subsets`,
            }),
          );
        } else if (s.labels?.['version'] !== subset) {
          const key = Object.entries(s.labels ?? {}).find(([, v]) => v === subset)?.[0];
          bad.push(
            finding('L03.DR_LABELS', { ...params, key: key ?? '' }).fail({
              expected: `labels: {version: ${subset}}`,
              actual: labelsText(s.labels) || 'no labels',
              next: `kubectl get pods -n ${bookinfoNs} -l app=${service} -L version`,
              path: `${ref} .spec.subsets[name=${subset}].labels`,
              ...(key ? { hint: 'wrongKey' } : {}),
            }),
          );
        }
      }
      const selector = services.find((x) => x.metadata?.name === service)?.spec?.selector;
      const defined = required.filter((n) => dr.spec.subsets?.some((x) => x.name === n && x.labels?.['version'] === n));
      bad.push(
        ...subsetFindings(dr, defined, { host, pods, serviceSelector: selector, next: 'istioctl analyze -n default' }),
      );
      out.push(...(bad.length ? bad : found.assertions));
    }
    // A DR whose host names no Service is usually a typo (IST0174); nothing applies it.
    const known = new Set(services.map((s) => serviceFqdn(s.metadata?.name ?? '', bookinfoNs)));
    for (const dr of drs.filter((d) => d.metadata.namespace === bookinfoNs)) {
      const host = resolveHost(dr.spec.host, dr.metadata.namespace);
      if (host.endsWith(`.${bookinfoNs}.svc.cluster.local`) && !known.has(host)) {
        const ref = kindRef('DestinationRule', dr);
        out.push(
          finding('IST0174', { dr: ref }).fail({
            expected: `one of ${[...known].map((h) => h.split('.')[0]).join(', ')}`,
            actual: dr.spec.host,
            next: `kubectl get svc -n ${bookinfoNs}`,
            path: `${ref} .spec.host`,
          }),
        );
      }
    }
    return out;
  },
});
