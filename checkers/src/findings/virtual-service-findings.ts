import type { Assertion } from '../check-result';
import type { CheckCode } from '../catalogue/check-codes';
import { finding } from '../catalogue/findings';
import type { TemplateParams } from '../catalogue/render-template';
import type { VirtualService } from '../istio/istio-schemas';
import { describeExportTo } from '../istio/rules/export-to';
import { gatewayRefText, boundGateways, type GatewayRef } from '../istio/rules/gateway-refs';
import { kindRef, refOf } from '../istio/rules/object-refs';
import { virtualServicesForHost, type VirtualServiceMiss } from '../istio/rules/virtual-services-for-host';

export interface OneVirtualServiceOptions {
  /** The lab's code: passes when one VS applies; fails with the lesson's hint when nothing is even close. */
  code: CheckCode;
  params?: TemplateParams;
  /** FQDN of the called host. */
  host: string;
  /** Namespace of the calling proxies (exportTo is judged from there). */
  clientNamespace: string;
  gateway?: GatewayRef;
  lessonName: string;
  lessonNamespace: string;
  next?: string;
  /** Name of a `hints` entry of `code`: the lesson's wording when no VS exists yet. */
  missingHint?: string;
}

export interface FoundObject<T> {
  object: T | undefined;
  assertions: Assertion[];
}

const missOrder: VirtualServiceMiss['reason'][] = ['hidden-by-export-to', 'other-gateways', 'partial-name', 'resolves-elsewhere'];

function missFinding(miss: VirtualServiceMiss, o: OneVirtualServiceOptions): Assertion {
  const vs = kindRef('VirtualService', miss.vs);
  const short = o.host.split('.')[0] ?? o.host;
  const written = miss.vs.spec.hosts.find((h) => h.toLowerCase() === short || h.toLowerCase().startsWith(`${short}.`)) ?? miss.vs.spec.hosts[0] ?? '';
  const common = { host: o.host, client: o.clientNamespace, vs, namespace: o.lessonNamespace };
  const details = { expected: `a VirtualService for ${o.host} that applies to ${o.gateway ? gatewayRefText(o.gateway) : 'sidecars'} in ${o.clientNamespace}`, actual: miss.detail, path: miss.path };
  switch (miss.reason) {
    case 'hidden-by-export-to':
      return finding('MESH.VS_HIDDEN', { ...common, exportTo: describeExportTo(miss.vs.spec.exportTo, miss.vs.metadata.namespace) }).fail({ ...details, next: `kubectl get virtualservice -n ${miss.vs.metadata.namespace} ${miss.vs.metadata.name} -o yaml` });
    case 'other-gateways':
      return finding('MESH.VS_OTHER_GATEWAYS', { ...common, gateways: boundGateways(miss.vs).map(gatewayRefText).join(', ') }).fail({ ...details, next: `kubectl get virtualservice -n ${miss.vs.metadata.namespace} ${miss.vs.metadata.name} -o yaml` });
    case 'partial-name':
      return finding('MESH.VS_PARTIAL_NAME', { ...common, written, short }).fail({ ...details, next: `kubectl get virtualservice -A -o yaml | grep -n '${written}'` });
    case 'resolves-elsewhere':
      return finding('MESH.VS_RESOLVES_ELSEWHERE', { ...common, written, resolved: miss.resolvedHosts.join(', ') }).fail({ ...details, next: 'kubectl get virtualservice -A' });
  }
}

/**
 * "The VirtualService for host X as the client sees it", by meaning (docs/check-probes.md): exactly one VS
 * that istiod applies. None: the cause when one is close (exportTo, gateways, a short host resolved in
 * another namespace, with the FQDN it resolved to), else the lab's own hint. Two or more for the mesh:
 * IST0109. Another name than the lesson's: a warning.
 */
export function oneVirtualService(all: VirtualService[], o: OneVirtualServiceOptions): FoundObject<VirtualService> {
  const { applies, misses } = virtualServicesForHost(all, { host: o.host, clientNamespace: o.clientNamespace, gateway: o.gateway });
  const lab = finding(o.code, o.params);
  if (applies.length > 1 && (o.gateway ?? 'mesh') === 'mesh') {
    return {
      object: undefined,
      assertions: [
        finding('IST0109', { host: o.host }).fail({
          expected: `exactly one VirtualService for ${o.host}`,
          actual: `${applies.length}: ${applies.map(refOf).join(', ')}`,
          next: `kubectl delete virtualservice -n ${applies[1]!.metadata.namespace} ${applies[1]!.metadata.name}`,
          path: applies.map((v) => kindRef('VirtualService', v)).join(', '),
        }),
      ],
    };
  }
  const vs = applies[0];
  if (!vs) {
    const miss = missOrder.map((r) => misses.find((m) => m.reason === r)).find((m) => m !== undefined);
    if (miss) return { object: undefined, assertions: [missFinding(miss, o)] };
    return {
      object: undefined,
      assertions: [lab.fail({ expected: `a VirtualService whose hosts include ${o.host}`, actual: 'none found', next: o.next ?? `kubectl get virtualservice -n ${o.lessonNamespace}`, hint: o.missingHint })],
    };
  }
  const ref = kindRef('VirtualService', vs);
  const out = [lab.pass({ actual: ref, path: ref })];
  if (vs.metadata.name !== o.lessonName || vs.metadata.namespace !== o.lessonNamespace) {
    out.push(finding('MESH.VS_NAME', { vs: ref, lessonName: `${o.lessonNamespace}/${o.lessonName}` }).warn({ expected: `${o.lessonNamespace}/${o.lessonName} (the lesson's name)`, actual: refOf(vs), path: ref }));
  }
  return { object: vs, assertions: out };
}
