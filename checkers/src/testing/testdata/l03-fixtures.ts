import type { KubeObject } from '../../cluster-reader';
import { baselineCluster } from './baseline-cluster';
import { destinationRule, virtualService } from './kube-builders';

const subsets = (names: string[], key = 'version') => names.map((name) => ({ name, labels: { [key]: name } }));

/** The DestinationRules of the Istio sample "destination-rule-all", written for this lab. */
export function bookinfoDrs(o: { reviewsKey?: string; reviewsHost?: string } = {}): KubeObject[] {
  return [
    destinationRule('default', 'productpage', { host: 'productpage', subsets: subsets(['v1']) }),
    destinationRule('default', 'reviews', { host: o.reviewsHost ?? 'reviews', subsets: subsets(['v1', 'v2', 'v3'], o.reviewsKey) }),
    destinationRule('default', 'ratings', { host: 'ratings', subsets: subsets(['v1', 'v2']) }),
    destinationRule('default', 'details', { host: 'details', subsets: subsets(['v1', 'v2']) }),
  ];
}

export const routeAll = (svc: string, subset = 'v1') =>
  virtualService('default', svc, { hosts: [svc], http: [{ route: [{ destination: { host: svc, subset } }] }] });

export function allToV1(): KubeObject[] {
  return ['productpage', 'reviews', 'ratings', 'details'].map((s) => routeAll(s));
}

export const l03Start = (): KubeObject[] => baselineCluster();
export const l03Solution = (): KubeObject[] => [...baselineCluster(), ...bookinfoDrs(), ...allToV1()];
