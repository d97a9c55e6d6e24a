import {
  defineCheck,
  destinationRuleFor,
  finding,
  kindRef,
  oneVirtualService,
  routeShares,
  serviceFqdn,
  subsetFindings,
  labelsText,
  type Assertion,
  type DestinationRule,
} from '../../check-api';
import { bookinfoNs, bookinfoSubsets } from './bookinfo-services';

/** Step 2: the VirtualService Bookinfo gets per service sends everything to subset v1, which exists and selects pods. */
export const routeToV1 = defineCheck({
  labId: 'l03-subsets',
  stepId: 'route-to-v1',
  kind: 'state',
  async run({ cluster }) {
    const [vss, drs] = await Promise.all([cluster.virtualServices(), cluster.destinationRules()]);
    const out: Assertion[] = [];
    // Subset v1 of each routed service, judged after the routes (IST0101 / IST0173) with one read of pods.
    const pending: Array<{ service: string; host: string; dr: DestinationRule | undefined; path: string }> = [];
    for (const service of Object.keys(bookinfoSubsets)) {
      const host = serviceFqdn(service, bookinfoNs);
      const found = oneVirtualService(vss, {
        code: 'L03.VS',
        params: { service },
        host,
        clientNamespace: bookinfoNs,
        lessonName: service,
        lessonNamespace: bookinfoNs,
        next: 'kubectl get virtualservice -A',
      });
      out.push(...found.assertions);
      const vs = found.object;
      if (!vs) continue;
      const ref = kindRef('VirtualService', vs);
      const http = vs.spec.http ?? [];
      const next = `kubectl get virtualservice -n ${vs.metadata.namespace} ${vs.metadata.name} -o yaml`;
      const params = { service };
      if (!http.some((r) => !r.match || r.match.length === 0)) {
        out.push(
          finding('L03.VS_CATCH_ALL', params).fail({
            expected: 'a rule without match (the default route)',
            actual: 'every rule has a match',
            next,
            path: `${ref} .spec.http`,
          }),
        );
        continue;
      }
      const targets = http.flatMap((_, i) => routeShares(vs, i)).filter((t) => t.weight > 0);
      const noSubset = targets.find((t) => !t.subset);
      if (noSubset) {
        out.push(
          finding('L03.VS_NO_SUBSET', params).fail({
            expected: 'destination.subset: v1',
            actual: 'a route without subset',
            next,
            path: noSubset.path,
          }),
        );
        continue;
      }
      const wrong = targets.filter((t) => t.host !== host || t.subset !== 'v1');
      if (wrong.length) {
        out.push(
          finding('L03.VS_SUBSET', params).fail({
            expected: `${service} subset v1`,
            actual: wrong
              .map((t) => `${t.host.split('.')[0] ?? t.host} subset ${t.subset ?? '-'} (weight ${t.weight})`)
              .join(', '),
            next,
            path: wrong[0]!.path,
          }),
        );
        continue;
      }
      pending.push({
        service,
        host,
        dr: destinationRuleFor(drs, { host, clientNamespace: bookinfoNs, serviceNamespace: bookinfoNs }).dr,
        path: `${ref} .spec.http`,
      });
    }
    if (pending.length === 0) return out;
    // Pods are the heaviest read: when every v1 subset selects by the same labels, read only those pods.
    const v1Labels = new Set(pending.map((p) => labelsText(p.dr?.spec.subsets?.find((x) => x.name === 'v1')?.labels)));
    const only = v1Labels.size === 1 ? [...v1Labels][0] : undefined;
    const [pods, services] = await Promise.all([
      cluster.pods(bookinfoNs, only || undefined),
      cluster.services(bookinfoNs),
    ]);
    for (const p of pending) {
      const selector = services.find((x) => x.metadata?.name === p.service)?.spec?.selector;
      out.push(
        ...subsetFindings(p.dr, ['v1'], {
          host: p.host,
          pods,
          serviceSelector: selector,
          path: p.path,
          next: `istioctl analyze -n ${bookinfoNs}`,
          missingHint: 'applyFirst',
        }),
      );
    }
    return out;
  },
});
