import { defineCheck, fail, pass } from '../../check-api';
import { injectionLabels, introNs } from './workloads';

/** Step 3: namespace intro is labelled for automatic injection (one label, right value). */
export const labelNamespace = defineCheck({
  labId: 'l01-sidecar-injection',
  stepId: 'label-namespace',
  kind: 'state',
  async run({ cluster }) {
    const ns = await cluster.namespace(introNs);
    const title = `namespace ${introNs} is labelled for sidecar injection`;
    if (!ns) return [fail('L01.NS_INTRO', `namespace ${introNs} exists`, { expected: `namespace ${introNs}`, actual: 'not found', hint: 'Do the previous step first: create the namespace and deploy httpbin and curl.', next: `kubectl create namespace ${introNs}` })];
    const labels = injectionLabels(ns);
    switch (labels.state) {
      case 'enabled':
        return [pass('L01.INJECTION_LABEL', title, { actual: 'istio-injection=enabled' })];
      case 'revision':
        return [pass('L01.INJECTION_LABEL', title, { actual: `istio.io/rev=${labels.revision}`, hint: `Revision label used instead of istio-injection=enabled; that works when a revision "${labels.revision}" is installed.` })];
      case 'both':
        return [fail('IST0123', title, { expected: 'one injection label', actual: `istio-injection=${labels.value} and istio.io/rev=${labels.revision}`, hint: 'The namespace has both injection labels; istio-injection wins and the revision label is ignored (IST0123). Keep only one.', next: `kubectl label namespace ${introNs} istio.io/rev-`, path: `Namespace ${introNs} .metadata.labels` })];
      case 'wrong-value':
        return [fail('L01.INJECTION_LABEL_VALUE', title, { expected: 'istio-injection=enabled', actual: `istio-injection=${labels.value}`, hint: `The label value must be exactly "enabled"; the injector ignores "${labels.value}".`, next: `kubectl label namespace ${introNs} istio-injection=enabled --overwrite`, path: `Namespace ${introNs} .metadata.labels` })];
      case 'none':
        return [fail('L01.INJECTION_LABEL', title, { expected: 'istio-injection=enabled', actual: 'no injection label', hint: 'Label the namespace so the injector webhook adds istio-proxy to new pods.', next: `kubectl label namespace ${introNs} istio-injection=enabled` })];
    }
  },
});
