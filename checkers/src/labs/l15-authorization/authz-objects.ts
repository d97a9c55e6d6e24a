import { authorize, isReady, pollBudgets, principalOf, type AuthorizationPolicy, type AuthzDecision, type CheckContext, type HttpResponse, type Workload } from '../../check-api';

export const labId = 'l15-authorization';
export const ingressIdentity = principalOf('istio-system', 'istio-ingressgateway-service-account');
export const identityOf = (app: string) => principalOf('default', `bookinfo-${app}`);
export const apRef = (p: AuthorizationPolicy) => `AuthorizationPolicy ${p.metadata.namespace}/${p.metadata.name}`;
export const selectorless = (p: AuthorizationPolicy) => Object.keys(p.spec.selector?.matchLabels ?? {}).length === 0;

/** A Bookinfo app's labels as its Ready pod carries them (the policy's selector is matched against these). */
export async function bookinfoWorkload(ctx: Pick<CheckContext, 'cluster'>, app: string): Promise<Workload> {
  const pods = await ctx.cluster.pods('default', `app=${app}`);
  const pod = pods.find(isReady) ?? pods[0];
  return { namespace: 'default', labels: pod?.metadata?.labels ?? { app } };
}

/** What the app's sidecar decides for a request from `principal`. */
export async function decide(
  ctx: Pick<CheckContext, 'cluster'>,
  app: string,
  request: { method: string; path: string; principal?: string },
): Promise<{ decision: AuthzDecision; policies: AuthorizationPolicy[] }> {
  const [policies, workload] = await Promise.all([ctx.cluster.authorizationPolicies(), bookinfoWorkload(ctx, app)]);
  return { decision: authorize(policies, workload, { ...request, port: 9080, host: app }), policies };
}

/** Page loads through the ingress gateway until `until` holds (config propagation). */
export async function pageUntil(ctx: CheckContext, until: (r: HttpResponse) => boolean, request: { method?: string; path?: string } = {}) {
  return ctx.poll(() => ctx.probes.ing({ path: request.path ?? '/productpage', ...(request.method ? { method: request.method } : {}) }), {
    ...pollBudgets.propagation,
    until,
  });
}

export const detailsError = 'Error fetching product details';
export const reviewsError = 'Error fetching product reviews';
export const ratingsError = 'Ratings service is currently unavailable';
