import type { Gateway, VirtualService } from '../istio-schemas';

export type GatewayRef = 'mesh' | { namespace: string; name: string };

/**
 * A VirtualService `gateways` entry resolved as istiod does (Istio 1.30 pilot/pkg/model/config.go
 * `resolveGatewayName`): `mesh` stays; `ns/name`; `./name` is the VS's namespace; a bare name is a
 * Gateway in the VS's namespace; the legacy dotted form `name.ns[.svc.cluster.local]` reads as `ns/name`.
 */
export function resolveGatewayRef(ref: string, vsNamespace: string): GatewayRef {
  if (ref === 'mesh') return 'mesh';
  const slash = ref.indexOf('/');
  if (slash >= 0) {
    const ns = ref.slice(0, slash);
    return { namespace: ns === '.' ? vsNamespace : ns, name: ref.slice(slash + 1) };
  }
  const dot = ref.indexOf('.');
  if (dot < 0) return { namespace: vsNamespace, name: ref };
  const rest = ref.slice(dot + 1);
  return { namespace: rest.split('.')[0] ?? vsNamespace, name: ref.slice(0, dot) };
}

/** The gateways a VirtualService binds: omitted or empty `gateways` means sidecars only (`mesh`). */
export function boundGateways(vs: VirtualService): GatewayRef[] {
  const list = vs.spec.gateways;
  if (!list || list.length === 0) return ['mesh'];
  return list.map((g) => resolveGatewayRef(g, vs.metadata.namespace));
}

export function sameGateway(a: GatewayRef, b: GatewayRef): boolean {
  if (a === 'mesh' || b === 'mesh') return a === b;
  return a.namespace === b.namespace && a.name === b.name;
}

/** True when the VS applies to sidecars (`gateways` omitted, or `mesh` listed). */
export function appliesToMesh(vs: VirtualService): boolean {
  return boundGateways(vs).some((g) => g === 'mesh');
}

/** The Gateway object a `gateways` entry names, when it exists. */
export function findGateway(gateways: Gateway[], ref: string, vsNamespace: string): Gateway | undefined {
  const r = resolveGatewayRef(ref, vsNamespace);
  if (r === 'mesh') return undefined;
  return gateways.find((g) => g.metadata.namespace === r.namespace && g.metadata.name === r.name);
}

export function gatewayRefText(ref: GatewayRef): string {
  return ref === 'mesh' ? 'mesh' : `${ref.namespace}/${ref.name}`;
}
