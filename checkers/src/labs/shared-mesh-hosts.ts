/**
 * Host names in VirtualServices and DestinationRules are resolved by istiod relative to the object's own
 * namespace (pilot `ResolveShortnameToFQDN`): a name without a dot gets `.<ns>.svc.cluster.local`; anything
 * with a dot is taken literally. So `reviews.default` is NOT the reviews Service, a classic learner slip.
 */
import { clusterDomain, serviceFqdn } from '../check-api';

export { serviceFqdn };

export function toFqdn(host: string, namespace: string): string {
  const h = host.trim().toLowerCase();
  if (h === '*' || h.includes('.') || h.includes(':') || namespace === '') return h;
  return `${h}.${namespace}.svc.${clusterDomain}`;
}

/**
 * A host written as `<name>.<ns>` or `<name>.<ns>.svc` looks like a Service but istiod does not expand it;
 * return the Service FQDN the learner probably meant, to put in a hint.
 */
export function likelyMeantService(host: string): string | undefined {
  const m = /^([a-z0-9-]+)\.([a-z0-9-]+)(\.svc)?$/.exec(host.trim().toLowerCase());
  return m ? serviceFqdn(m[1]!, m[2]!) : undefined;
}
