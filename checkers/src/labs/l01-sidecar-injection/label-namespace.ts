import { defineCheck, finding, namespaceInjection } from '../../check-api';
import { introNs } from './workloads';

/** Step 3: namespace intro is labelled for automatic injection (one label, right value). */
export const labelNamespace = defineCheck({
  labId: 'l01-sidecar-injection',
  stepId: 'label-namespace',
  kind: 'state',
  async run({ cluster }) {
    const ns = await cluster.namespace(introNs);
    if (!ns)
      return [
        finding('L01.NS_INTRO').fail({
          expected: `namespace ${introNs}`,
          actual: 'not found',
          next: `kubectl create namespace ${introNs}`,
        }),
      ];
    const labels = namespaceInjection(ns);
    const params = { namespace: introNs };
    const path = `Namespace ${introNs} .metadata.labels`;
    const label = finding('L01.INJECTION_LABEL', params);
    switch (labels.state) {
      case 'enabled':
        return [label.pass({ actual: 'istio-injection=enabled' })];
      case 'revision':
        return [
          finding('L01.INJECTION_LABEL', { ...params, revision: labels.revision }).pass({
            actual: `istio.io/rev=${labels.revision}`,
            note: 'revision',
          }),
        ];
      case 'both':
        return [
          finding('IST0123', params).fail({
            expected: 'one injection label',
            actual: `istio-injection=${labels.value} and istio.io/rev=${labels.revision}`,
            next: `kubectl label namespace ${introNs} istio.io/rev-`,
            path,
          }),
        ];
      case 'wrong-value':
        return [
          finding('L01.INJECTION_LABEL_VALUE', { ...params, value: labels.value }).fail({
            expected: 'istio-injection=enabled',
            actual: `istio-injection=${labels.value}`,
            next: `kubectl label namespace ${introNs} istio-injection=enabled --overwrite`,
            path,
          }),
        ];
      case 'none':
        return [
          label.fail({
            expected: 'istio-injection=enabled',
            actual: 'no injection label',
            next: `kubectl label namespace ${introNs} istio-injection=enabled`,
          }),
        ];
    }
  },
});
