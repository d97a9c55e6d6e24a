import { defineCheck, describeMix, fail, pass, pollBudgets } from '../../check-api';

/** Step 3: the reviews API answers from v1 only (no star ratings). */
export const observeV1 = defineCheck({
  labId: 'l03-subsets',
  stepId: 'observe-v1',
  kind: 'probe',
  async run({ probes, poll }) {
    const n = 30;
    const sample = await poll(() => probes.mix(n), { ...pollBudgets.propagation, until: (m) => m.counts.v1 === n });
    const m = sample.value;
    const title = `${n} requests to the reviews API are all served by reviews v1`;
    if (sample.ok) return [pass('L03.MIX_V1', title, { actual: describeMix(m) })];
    const failures = Object.keys(m.failures).length > 0;
    return [
      fail('L03.MIX_V1', title, {
        expected: `v1 ${n}/${n}`,
        actual: describeMix(m),
        hint: failures
          ? 'Some requests failed with 503: flag NC means a route names a subset that no DestinationRule defines (IST0101); flag UH means the subset selects no Ready pod (IST0173).'
          : 'Other versions still answer: the reviews VirtualService is missing, not applied to the mesh, or routes without subset v1.',
        next: failures ? 'istioctl analyze -n default' : 'kubectl get virtualservice reviews -n default -o yaml',
      }),
    ];
  },
});
