import { catchAllShareFindings, defineCheck, finding, kindRef, readRoutedService, type Assertion, type DestinationRule, type VirtualService } from '../../check-api';
import { labId, ns } from './kiali-reads';

/**
 * The label Kiali v2.26's service wizards put on every object they create: key `kiali_wizard`, value the
 * wizard's id, `traffic_shifting` for Traffic Shifting (kiali/kiali v2.26.0
 * frontend/src/components/IstioWizards/WizardActions.ts: KIALI_WIZARD_LABEL, WIZARD_TRAFFIC_SHIFTING,
 * buildIstioConfig labels the DestinationRule and the VirtualService).
 */
export const wizardLabel = { key: 'kiali_wizard', value: 'traffic_shifting' } as const;

/**
 * Step 4: the reviews VirtualService sends 80 % to v1 and 20 % to v3 (rule routeShares: relative weights,
 * so 8/2 or a v2 entry with weight 0, as the wizard writes it, are the same split; short host or FQDN),
 * to subsets that exist. The wizard label is judged apart: a learner who wrote the same objects by hand
 * gets the same mesh behaviour, so a missing label is a warning that names it, not a failure.
 */
export const trafficShifting = defineCheck({
  labId,
  stepId: 'traffic-shifting',
  kind: 'state',
  async run(ctx) {
    const routed = await readRoutedService(ctx, { code: 'L19.VS', service: 'reviews', namespace: ns });
    if (!routed.vs) return routed.assertions;
    const out: Assertion[] = [
      ...routed.assertions,
      ...catchAllShareFindings({ vs: routed.vs, host: routed.host, target: { v1: 0.8, v3: 0.2 }, dr: routed.dr, pods: routed.pods, serviceSelector: routed.serviceSelector }),
    ];
    const objects: Array<{ ref: string; value: string | undefined }> = [
      { ref: kindRef('VirtualService', routed.vs), value: label(routed.vs) },
      ...(routed.dr ? [{ ref: kindRef('DestinationRule', routed.dr), value: label(routed.dr) }] : []),
    ];
    const unlabelled = objects.filter((o) => o.value === undefined);
    const other = objects.filter((o) => o.value !== undefined && o.value !== wizardLabel.value);
    const expected = `${wizardLabel.key}: ${wizardLabel.value} on ${objects.map((o) => o.ref).join(' and ')}`;
    const actual = objects.map((o) => `${o.ref}: ${o.value === undefined ? 'no kiali_wizard label' : `kiali_wizard=${o.value}`}`).join('; ');
    if (unlabelled.length) out.push(finding('L19.WIZARD_LABEL', { objects: unlabelled.map((o) => o.ref).join(' and ') }).warn({ expected, actual, next: `kubectl get virtualservice,destinationrule -n ${ns} --show-labels` }));
    else if (other.length) out.push(finding('L19.WIZARD_LABEL', { objects: other.map((o) => o.ref).join(' and '), value: other[0]?.value ?? '' }).warn({ expected, actual, hint: 'otherWizard', next: `kubectl get virtualservice,destinationrule -n ${ns} --show-labels` }));
    else out.push(finding('L19.WIZARD_LABEL').pass({ actual }));
    return out;
  },
});

const label = (o: VirtualService | DestinationRule): string | undefined => o.metadata.labels?.[wizardLabel.key];
