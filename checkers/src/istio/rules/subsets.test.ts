import { describe, expect, it } from 'vitest';
import { subsetState } from './subsets';
import { istioYaml } from './testdata/load-istio-yaml';
import { pod } from './testdata/pods';

const [dr] = istioYaml(`
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews, namespace: default}
spec:
  host: reviews
  subsets:
  - {name: v1, labels: {version: v1}}
  - {name: v3, labels: {version: v3}}
  - {name: v9, labels: {version: v9}}
`).destinationRules();
const selector = { app: 'reviews' };
const pods = [
  pod('reviews-v1-a', { app: 'reviews', version: 'v1' }),
  pod('reviews-v3-a', { app: 'reviews', version: 'v3' }, { ready: false }),
];

describe('subsetState', () => {
  it('ok when the subset selects a Running, Ready pod', () => {
    const s = subsetState(dr, 'v1', { pods, serviceSelector: selector });
    expect(s.state).toBe('ok');
  });
  it('missing names the subsets that exist (IST0101)', () => {
    const s = subsetState(dr, 'v2', { pods, serviceSelector: selector });
    expect(s).toMatchObject({ state: 'missing', defined: ['v1', 'v3', 'v9'] });
  });
  it('a subset whose only pod is not Ready, or that matches no pod, selects no pods (IST0173)', () => {
    expect(subsetState(dr, 'v3', { pods, serviceSelector: selector })).toMatchObject({ state: 'selects-no-pods', labels: { app: 'reviews', version: 'v3' } });
    expect(subsetState(dr, 'v9', { pods, serviceSelector: selector }).state).toBe('selects-no-pods');
  });
  it('no DestinationRule at all', () => {
    expect(subsetState(undefined, 'v1').state).toBe('no-destination-rule');
  });
});
