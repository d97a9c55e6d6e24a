import {
  defineCheck,
  destinationRuleFor,
  fail,
  kindRef,
  oneVirtualService,
  pass,
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
  gwRef,
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
          fail('L12.VS_MESH', 'the VirtualService applies to the sidecars too', {
            expected: 'gateways [mesh, istio-egressgateway]',
            actual: `${vsRef(gatewayOnly)} gateways ${JSON.stringify(gatewayOnly.spec.gateways)}`,
            hint: 'Without `mesh` the sidecars ignore this VirtualService and call api.example.com directly, bypassing the egress gateway. Add mesh to gateways.',
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
      out.push(
        fail(sameName ? 'IST0101' : 'L12.VS_GATEWAY', 'the VirtualService is bound to the egress Gateway', {
          expected: `gateways [mesh, ${egressGws[0] ? (egressGws[0].metadata.namespace === ns ? egressGws[0].metadata.name : `${egressGws[0].metadata.namespace}/${egressGws[0].metadata.name}`) : 'istio-egressgateway'}]`,
          actual: `gateways ${JSON.stringify(listed)}`,
          hint: sameName
            ? `Referenced gateway not found: a bare name is looked up in the VirtualService's namespace (${ns}), but ${gwRef(sameName)} lives elsewhere. Write ${sameName.metadata.namespace}/${sameName.metadata.name}.`
            : egressGws.length === 0
              ? gatewaysForExternalHost(gws).length > 0 &&
                !(await ctx.cluster.pods('istio-system')).some(isEgressGatewayPod)
                ? 'No egress gateway pod runs in istio-system, so no Gateway can select one. Install it (the demo profile has one; `kubectl get pods -n istio-system -l istio=egressgateway`).'
                : 'No Gateway for api.example.com selects the egress gateway yet (step 1).'
              : 'List the egress Gateway in `gateways` next to mesh.',
          next: `istioctl analyze -n ${ns}`,
          path: `${vsRef(vs)} .spec.gateways`,
        }),
      );
      return out;
    }
    out.push(
      pass('L12.VS_GATEWAY', 'the VirtualService is bound to mesh and the egress Gateway', {
        actual: `gateways ${JSON.stringify(listed)}`,
        path: `${vsRef(vs)} .spec.gateways`,
      }),
    );
    const http = vs.spec.http ?? [];
    const meshIdx = http.findIndex((r) => ruleGateways(r).includes('mesh'));
    const gwIdx = http.findIndex((r) => ruleGateways(r).some((g) => refersTo(g, ns, egressGw)));

    const meshTitle = 'sidecar traffic for api.example.com goes to the egress gateway';
    const meshDest = meshIdx >= 0 ? routeShares(vs, meshIdx)[0] : undefined;
    const drSubsets = new Set(
      (
        destinationRuleFor(drs, { host: egressFqdn, clientNamespace: 'default', serviceNamespace: 'istio-system' }).dr
          ?.spec.subsets ?? []
      ).map((s) => s.name),
    );
    if (!meshDest || meshDest.host !== egressFqdn || (meshDest.port !== undefined && meshDest.port !== 80)) {
      out.push(
        fail('L12.MESH_RULE', meshTitle, {
          expected: `a rule with match gateways [mesh] → ${egressFqdn} (subset api, port 80)`,
          actual: meshIdx < 0 ? 'no rule matches gateways [mesh]' : `http[${meshIdx}] → ${describeDest(meshDest)}`,
          hint:
            meshIdx < 0
              ? 'Give the sidecars their own rule with `match: [{gateways: [mesh]}]` routing to the egress gateway; a rule without match.gateways applies on the gateway too, which would send requests to itself.'
              : `The mesh rule must send traffic to the egress gateway Service ${egressFqdn}, port 80, not straight to api.example.com.`,
          next,
          path: `${vsRef(vs)} .spec.http`,
        }),
      );
    } else if (meshDest.subset && !drSubsets.has(meshDest.subset)) {
      out.push(
        fail('IST0101', meshTitle, {
          expected: `subset ${meshDest.subset} defined in a DestinationRule for ${egressFqdn}`,
          actual: `defined subsets: ${[...drSubsets].join(', ') || 'none'}`,
          hint: 'Referenced host+subset in destinationrule not found: Envoy has no cluster for it, so requests fail with 503 and flag NC. Use the subset name of step 2.',
          next: `istioctl analyze -n ${ns}`,
          path: `${vsRef(vs)} .spec.http[${meshIdx}].route`,
        }),
      );
    } else {
      out.push(pass('L12.MESH_RULE', meshTitle, { actual: `http[${meshIdx}] → ${describeDest(meshDest)}` }));
    }

    const gwTitle = 'the egress gateway forwards api.example.com to the external host';
    const gwDest = gwIdx >= 0 ? routeShares(vs, gwIdx)[0] : undefined;
    out.push(
      gwDest && gwDest.host === externalHost && (gwDest.port === undefined || gwDest.port === 80)
        ? pass('L12.GATEWAY_RULE', gwTitle, { actual: `http[${gwIdx}] → ${describeDest(gwDest)}` })
        : fail('L12.GATEWAY_RULE', gwTitle, {
            expected: `a rule with match gateways [${gwEntry}] → ${externalHost} port 80`,
            actual: gwIdx < 0 ? `no rule matches gateways [${gwEntry}]` : `http[${gwIdx}] → ${describeDest(gwDest)}`,
            hint: `On the egress gateway the request must continue to ${externalHost} port 80 (the ServiceEntry host).`,
            next,
            path: `${vsRef(vs)} .spec.http`,
          }),
    );
    return out;
  },
});
