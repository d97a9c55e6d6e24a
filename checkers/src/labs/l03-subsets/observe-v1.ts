import { defineCheck, describeMix, finding, pollBudgets } from '../../check-api';

/** Step 3: the reviews API answers from v1 only (no star ratings). */
export const observeV1 = defineCheck({
  labId: 'l03-subsets',
  stepId: 'observe-v1',
  kind: 'probe',
  async run({ probes, poll }) {
    const n = 30;
    const sample = await poll(() => probes.mix(n), { ...pollBudgets.propagation, until: (m) => m.counts.v1 === n });
    const m = sample.value;
    const mix = finding('L03.MIX_V1', { n });
    if (sample.ok) return [mix.pass({ actual: describeMix(m) })];
    const failures = Object.keys(m.failures).length > 0;
    return [
      mix.fail({
        expected: `v1 ${n}/${n}`,
        actual: describeMix(m),
        next: failures ? 'istioctl analyze -n default' : 'kubectl get virtualservice reviews -n default -o yaml',
        ...(failures ? { hint: 'failures' } : {}),
      }),
    ];
  },
});
