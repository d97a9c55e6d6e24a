import { describe, expect, it } from 'vitest';
import { firstRuleForHeader, headerMatchKind, matchesOnCookie } from './header-match';
import { istioYaml } from './testdata/load-istio-yaml';

const [vs] = istioYaml(`
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: default}
spec:
  hosts: [reviews]
  http:
  - match: [{headers: {cookie: {regex: "^(.*?;)?(user=jason)(;.*)?$"}}}]
    route: [{destination: {host: reviews, subset: v3}}]
  - match: [{headers: {End-User: {prefix: ja}}}]
    route: [{destination: {host: reviews, subset: v2}}]
  - route: [{destination: {host: reviews, subset: v1}}]
`).virtualServices();

describe('header matches', () => {
  it('finds the first rule for a user, header names case-insensitive', () => {
    expect(firstRuleForHeader(vs!.spec.http, 'end-user', 'jason')).toBe(1);
    expect(headerMatchKind(vs!.spec.http![1]!.match![0]!, 'end-user', 'alice')).toBeUndefined();
    expect(headerMatchKind({ headers: { 'end-user': { regex: 'j.*' } } }, 'end-user', 'jason')).toBe('regex');
  });
  it('spots the old cookie recipe', () => {
    expect(matchesOnCookie(vs!.spec.http)).toBe(true);
  });
});
