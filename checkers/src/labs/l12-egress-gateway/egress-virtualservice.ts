import {
  defineCheck,
  destinationRuleFor,
  finding,
  kindRef,
  oneVirtualService,
  routeShares,
  type Assertion,
  type DestinationShare,
  type Gateway,
  type HttpRoute,
  type VirtualService,
} from '../../check-api';
import {
  egressFqdn,
  externalHost,
  gatewaysForExternalHost,
  isEgressGatewayPod,
  podsSelectedBy,
  refersTo,
} from './egress-objects';

const vsRef = (vs: VirtualService) => kindRef('VirtualService', vs);

function ruleGateways(rule: HttpRoute): string[] {
  return (rule.match ?? []).flatMap((m) => m.gateways ?? []);
}

function describeDest(d: DestinationShare | undefined): string {
  return d ? `${d.host}${d.subset ? ` subset ${d.subset}` : ''}${d.port ? ` port ${d.port}` : ''}` : 'no destination';
}

/**
 * Step 3: the VS for api.example.com is bound to the mesh and the egress Gateway; the mesh rule sends
 * traffic to the egress gateway (subset from the DR, port 80), the gateway rule sends it on to api.example.com:80.
 */
export const egressVirtualService = defineCheck({
  labId: 'l12-egress-gateway',
  stepId: 'egress-virtualservice',
  kind: 'state',
  async run(ctx) {
    const [vss, gws, drs] = await Promise.all([
      ctx.cluster.virtualServices(),
      ctx.cluster.gateways(),
      ctx.cluster.destinationRules(),
    ]);
    // The caller is default/curl; the lesson names the VirtualService direct-api-through-egress-gateway.
    const found = oneVirtualService(vss, {
      code: 'L12.VS_EXTERNAL',
      params: { service: externalHost },
      host: externalHost,
      clientNamespace: 'default',
      lessonName: 'direct-api-through-egress-gateway',
      lessonNamespace: 'default',
    });
    const out: Assertion[] = [...found.assertions];
    const vs = found.object;
    const ns = vs?.metadata.namespace ?? 'default';
    if (!vs) {
      // A VS bound only to the egress Gateway is the "no mesh" mistake: sidecars never send traffic to the gateway.
      const gatewayOnly = vss.find(
        (v) => v.spec.hosts.includes(externalHost) && v.spec.gateways && !v.spec.gateways.includes('mesh'),
      );
      if (gatewayOnly && out.every((a) => a.code !== 'IST0109')) {
        return [
          finding('L12.VS_MESH').fail({
            expected: 'gateways [mesh, istio-egressgateway]',
            actual: `${vsRef(gatewayOnly)} gateways ${JSON.stringify(gatewayOnly.spec.gateways)}`,
            next: `kubectl get virtualservice -n ${gatewayOnly.metadata.namespace} ${gatewayOnly.metadata.name} -o yaml`,
            path: `${vsRef(gatewayOnly)} .spec.gateways`,
          }),
        ];
      }
      return out;
    }
    const egressGws: Gateway[] = [];
    for (const gw of gatewaysForExternalHost(gws)) {
      if ((await podsSelectedBy(ctx, gw)).some(isEgressGatewayPod)) egressGws.push(gw);
    }
    const listed = vs.spec.gateways ?? [];
    const gwEntry = listed.find((r) => r !== 'mesh' && egressGws.some((g) => refersTo(r, ns, g)));
    const egressGw = gwEntry ? egressGws.find((g) => refersTo(gwEntry, ns, g)) : undefined;
    const next = `kubectl get virtualservice -n ${ns} ${vs.metadata.name} -o yaml`;
    if (!egressGw) {
      const dangling = listed.find((r) => r !== 'mesh');
      const sameName = dangling ? egressGws.find((g) => g.metadata.name === dangling.split('/').pop()) : undefined;
      const expected = `gateways [mesh, ${egressGws[0] ? (egressGws[0].metadata.namespace === ns ? egressGws[0].metadata.name : `${egressGws[0].metadata.namespace}/${egressGws[0].metadata.name}`) : 'istio-egressgateway'}]`;
      const details = {
        expected,
        actual: `gateways ${JSON.stringify(listed)}`,
        next: `istioctl analyze -n ${ns}`,
        path: `${vsRef(vs)} .spec.gateways`,
      };
      if (sameName) {
        const gateway = `${sameName.metadata.namespace}/${sameName.metadata.name}`;
        out.push(
          finding('IST0101', { reference: `gateway ${gateway}`, gateway, namespace: ns, gatewayNamespace: sameName.metadata.namespace }).fail({
            ...details,
            hint: 'gatewayNamespace',
          }),
        );
        return out;
      }
      const noEgressPod =
        egressGws.length === 0 &&
        gatewaysForExternalHost(gws).length > 0 &&
        !(await ctx.cluster.pods('istio-system')).some(isEgressGatewayPod);
      out.push(
        finding('L12.VS_GATEWAY').fail({
          ...details,
          ...(egressGws.length === 0 ? { hint: noEgressPod ? 'noEgressPod' : 'noEgressGateway' } : {}),
        }),
      );
      return out;
    }
    out.push(
      finding('L12.VS_GATEWAY').pass({
        actual: `gateways ${JSON.stringify(listed)}`,
        path: `${vsRef(vs)} .spec.gateways`,
      }),
    );
    const http = vs.spec.http ?? [];
    const meshIdx = http.findIndex((r) => ruleGateways(r).includes('mesh'));
    const gwIdx = http.findIndex((r) => ruleGateways(r).some((g) => refersTo(g, ns, egressGw)));

    const meshRule = finding('L12.MESH_RULE', { egress: egressFqdn });
    const meshDest = meshIdx >= 0 ? routeShares(vs, meshIdx)[0] : undefined;
    const drSubsets = new Set(
      (
        destinationRuleFor(drs, { host: egressFqdn, clientNamespace: 'default', serviceNamespace: 'istio-system' }).dr
          ?.spec.subsets ?? []
      ).map((s) => s.name),
    );
    if (!meshDest || meshDest.host !== egressFqdn || (meshDest.port !== undefined && meshDest.port !== 80)) {
      out.push(
        meshRule.fail({
          expected: `a rule with match gateways [mesh] → ${egressFqdn} (subset api, port 80)`,
          actual: meshIdx < 0 ? 'no rule matches gateways [mesh]' : `http[${meshIdx}] → ${describeDest(meshDest)}`,
          ...(meshIdx < 0 ? { hint: 'noMeshRule' } : {}),
          next,
          path: `${vsRef(vs)} .spec.http`,
        }),
      );
    } else if (meshDest.subset && !drSubsets.has(meshDest.subset)) {
      out.push(
        finding('IST0101', { reference: `subset ${meshDest.subset} of ${egressFqdn}` }).fail({
          expected: `subset ${meshDest.subset} defined in a DestinationRule for ${egressFqdn}`,
          actual: `defined subsets: ${[...drSubsets].join(', ') || 'none'}`,
          hint: 'egressSubset',
          next: `istioctl analyze -n ${ns}`,
          path: `${vsRef(vs)} .spec.http[${meshIdx}].route`,
        }),
      );
    } else {
      out.push(meshRule.pass({ actual: `http[${meshIdx}] → ${describeDest(meshDest)}` }));
    }

    const gatewayRule = finding('L12.GATEWAY_RULE', { host: externalHost });
    const gwDest = gwIdx >= 0 ? routeShares(vs, gwIdx)[0] : undefined;
    out.push(
      gwDest && gwDest.host === externalHost && (gwDest.port === undefined || gwDest.port === 80)
        ? gatewayRule.pass({ actual: `http[${gwIdx}] → ${describeDest(gwDest)}` })
        : gatewayRule.fail({
            expected: `a rule with match gateways [${gwEntry}] → ${externalHost} port 80`,
            actual: gwIdx < 0 ? `no rule matches gateways [${gwEntry}]` : `http[${gwIdx}] → ${describeDest(gwDest)}`,
            next,
            path: `${vsRef(vs)} .spec.http`,
          }),
    );
    return out;
  },
});
