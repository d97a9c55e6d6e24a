import type { KubeObject } from '../../cluster-reader';
import { virtualService } from './kube-builders';
import { l03Solution } from './l03-fixtures';

type Rule = Record<string, unknown>;
const jasonRule = (match: Record<string, unknown> = { exact: 'jason' }, header = 'end-user'): Rule => ({
  match: [{ headers: { [header]: match } }],
  route: [{ destination: { host: 'reviews', subset: 'v2' } }],
});
const defaultRule: Rule = { route: [{ destination: { host: 'reviews', subset: 'v1' } }] };

export const reviewsVs = (http: Rule[]) => virtualService('default', 'reviews', { hosts: ['reviews'], http });

/** L04 starts where L03 ended: everything to v1. */
export const l04Start = (): KubeObject[] => l03Solution();
export const withReviews = (vs: KubeObject, base = l04Start()): KubeObject[] => [...base.filter((o) => !(o.kind === 'VirtualService' && o.metadata?.name === 'reviews')), vs];
export const l04Solution = (): KubeObject[] => withReviews(reviewsVs([jasonRule(), defaultRule]));
export const catchAllFirst = (): KubeObject[] => withReviews(reviewsVs([defaultRule, jasonRule()]));
export const cookieMatch = (): KubeObject[] => withReviews(reviewsVs([jasonRule({ regex: '^(.*?;)?(user=jason)(;.*)?$' }, 'cookie'), defaultRule]));
export const prefixMatch = (): KubeObject[] => withReviews(reviewsVs([jasonRule({ prefix: 'ja' }), defaultRule]));
export const onProductpage = (): KubeObject[] => [
  ...l04Start().filter((o) => !(o.kind === 'VirtualService' && o.metadata?.name === 'productpage')),
  virtualService('default', 'productpage', {
    hosts: ['productpage'],
    http: [
      { match: [{ headers: { 'end-user': { exact: 'jason' } } }], route: [{ destination: { host: 'productpage', subset: 'v1' } }] },
      { route: [{ destination: { host: 'productpage', subset: 'v1' } }] },
    ],
  }),
];
export const noV2Subset = (): KubeObject[] =>
  l04Solution().map((o) =>
    o.kind === 'DestinationRule' && o.metadata?.name === 'reviews'
      ? { ...o, spec: { host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v3', labels: { version: 'v3' } }] } }
      : o,
  );
