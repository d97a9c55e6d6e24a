import { parseAllDocuments } from 'yaml';
import { destinationRuleSchema, gatewaySchema, peerAuthenticationSchema, virtualServiceSchema, type DestinationRule, type Gateway, type PeerAuthentication, type VirtualService } from '../../istio-schemas';

/** Istio objects written as a learner would apply them, parsed with the checkers' own schemas (tests only). */
export function istioYaml(text: string) {
  const docs = parseAllDocuments(text).map((d) => d.toJSON() as { kind: string; metadata: { namespace?: string } });
  const withNs = docs.map((d) => ({ ...d, metadata: { namespace: 'default', ...d.metadata } }));
  const of = (kind: string) => withNs.filter((d) => d.kind === kind);
  return {
    virtualServices: (): VirtualService[] => of('VirtualService').map((d) => virtualServiceSchema.parse(d)),
    destinationRules: (): DestinationRule[] => of('DestinationRule').map((d) => destinationRuleSchema.parse(d)),
    gateways: (): Gateway[] => of('Gateway').map((d) => gatewaySchema.parse(d)),
    peerAuthentications: (): PeerAuthentication[] => of('PeerAuthentication').map((d) => peerAuthenticationSchema.parse(d)),
  };
}
