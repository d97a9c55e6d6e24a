import { describe, expect, it } from 'vitest';
import { catchAllIndex, describeShares, routeShares, rulesWithoutConditions, sharesBySubset } from './route-weights';
import { istioYaml } from './testdata/load-istio-yaml';

const [vs] = istioYaml(`
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: default}
spec:
  hosts: [reviews]
  http:
  - match: [{headers: {end-user: {exact: jason}}}]
    route: [{destination: {host: reviews, subset: v2}, weight: 5}]
  - route:
    - {destination: {host: reviews, subset: v1}, weight: 1}
    - {destination: {host: reviews, subset: v3}, weight: 1}
    - {destination: {host: reviews, subset: v2}, weight: 0}
  - route: [{destination: {host: reviews, subset: v2}}]
`).virtualServices();

describe('routeShares', () => {
  it('a lone destination gets everything whatever its weight', () => {
    expect(routeShares(vs!, 0).map((s) => s.share)).toEqual([1]);
  });
  it('weights are relative and weight 0 gets nothing', () => {
    const shares = routeShares(vs!, 1);
    expect(Object.fromEntries(sharesBySubset(shares))).toEqual({ v1: 0.5, v3: 0.5, v2: 0 });
    expect(describeShares(shares)).toBe('v1 50%, v3 50%, v2 0%');
    expect(shares[2]?.path).toBe('VirtualService default/reviews .spec.http[1].route[2]');
  });
  it('finds the catch-all and the unreachable rule after it', () => {
    expect(catchAllIndex(vs!.spec.http)).toBe(1);
    expect(rulesWithoutConditions(vs!.spec.http)).toEqual([1, 2]);
  });
});
