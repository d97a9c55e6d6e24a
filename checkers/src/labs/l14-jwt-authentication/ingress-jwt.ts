import { defineCheck, finding, isReady, jwtRulesForWorkload, pollBudgets, type Assertion, type CheckContext, type Workload } from '../../check-api';
import { allowed, apRef, decideFor, jwtView, labId } from './jwt-objects';
import { demoToken } from './sample-tokens';

export const jwtHost = 'jwt.example.com';

async function gatewayWorkload(ctx: Pick<CheckContext, 'cluster'>): Promise<Workload> {
  const pods = await ctx.cluster.pods('istio-system', 'istio=ingressgateway');
  return { namespace: 'istio-system', labels: (pods.find(isReady) ?? pods[0])?.metadata?.labels ?? { istio: 'ingressgateway', app: 'istio-ingressgateway' } };
}

/**
 * Step 5: judged at the ingress gateway by the rules its proxy applies (jwt_authn, then RBAC, no mTLS
 * identity from outside): jwt.example.com without a token is refused, with demo.jwt admitted, and
 * Bookinfo's page without a token still admitted (an ALLOW policy on the gateway would lock it out).
 * Then the same through the gateway itself.
 */
export const ingressJwt = defineCheck({
  labId,
  stepId: 'ingress-jwt',
  kind: 'state',
  async run(ctx) {
    const [view, gateway] = await Promise.all([jwtView(ctx), gatewayWorkload(ctx)]);
    const admitted = (host: string, path: string, token?: string) => allowed(decideFor(view, token, { workload: gateway, host, path, port: 8080 }));
    const withToken = admitted(jwtHost, '/headers', demoToken);
    const without = admitted(jwtHost, '/headers');
    const bookinfo = admitted('bookinfo', '/productpage');
    const gatewayAps = view.aps.filter((p) => p.metadata.namespace === 'istio-system' && p.spec.selector?.matchLabels?.['istio'] === 'ingressgateway');
    const allowLock = gatewayAps.find((p) => (p.spec.action ?? 'ALLOW').toUpperCase() === 'ALLOW');
    const inFoo = view.aps.find((p) => p.metadata.namespace === 'foo' && p.spec.selector?.matchLabels?.['istio'] === 'ingressgateway');
    const next = 'kubectl get requestauthentication,authorizationpolicy -n istio-system -o yaml';
    if (!withToken || without || !bookinfo) {
      const near = !bookinfo && allowLock
        ? { hint: 'allowLocksOut', policy: allowLock }
        : inFoo
          ? { hint: 'notAtGateway', policy: inFoo }
          : !withToken && jwtRulesForWorkload(view.ras, gateway).length === 0 && gatewayAps.length
            ? { hint: 'noRequestAuthentication', policy: gatewayAps[0]! }
            : undefined;
      return [
        finding('L14.INGRESS_RULES', { host: jwtHost, policy: near ? apRef(near.policy) : '' }).fail({
          expected: `at the gateway: ${jwtHost} without a token refused, with demo.jwt admitted, Bookinfo still open`,
          actual: `${jwtHost} without token ${without ? 'admitted' : 'refused'}, with demo.jwt ${withToken ? 'admitted' : 'refused'}; Bookinfo ${bookinfo ? 'open' : 'refused'}`,
          next,
          ...(near ? { hint: near.hint, path: `${apRef(near.policy)} .spec` } : {}),
        }),
      ];
    }
    const out: Assertion[] = [finding('L14.INGRESS_RULES', { host: jwtHost, policy: '' }).pass({ actual: `${jwtHost}: token required; Bookinfo open` })];
    const call = (token?: string) => ctx.probes.ing({ path: '/headers', host: jwtHost, ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}) });
    const refused = await ctx.poll(() => call(), { ...pollBudgets.propagation, until: (r) => r.status === 403 });
    out.push(
      refused.ok
        ? finding('L14.INGRESS_NO_TOKEN', { host: jwtHost }).pass({ actual: 'HTTP 403' })
        : finding('L14.INGRESS_NO_TOKEN', { host: jwtHost }).fail({ expected: 'HTTP 403', actual: `HTTP ${refused.value.status}`, next: 'istioctl proxy-status' }),
    );
    const ok = await ctx.poll(() => call(demoToken), { ...pollBudgets.propagation, until: (r) => r.status === 200 });
    out.push(
      ok.ok
        ? finding('L14.INGRESS_TOKEN', { host: jwtHost }).pass({ actual: 'HTTP 200' })
        : finding('L14.INGRESS_TOKEN', { host: jwtHost }).fail({ expected: 'HTTP 200', actual: `HTTP ${ok.value.status}`, next }),
    );
    return out;
  },
});
