import { kindRef, resolveHost, type CheckContext, type VirtualService } from '../../check-api';
import { readValidations, type ObjectValidation } from '../../kiali/kiali-api';

export const labId = 'l19-kiali';
export const ns = 'default';
export const reviewsHost = 'reviews.default.svc.cluster.local';

/** Page loads through the ingress gateway, so the graph has fresh requests; returns how many answered 200. */
export async function loadPages(ctx: Pick<CheckContext, 'probes'>, n: number): Promise<number> {
  let ok = 0;
  for (let i = 0; i < n; i++) if ((await ctx.probes.ing({ path: '/productpage' })).status === 200) ok++;
  return ok;
}

/** Every subset a VirtualService's HTTP routes send reviews traffic to (any rule, any weight). */
export function reviewsSubsets(vs: VirtualService): string[] {
  return (vs.spec.http ?? []).flatMap((rule) =>
    (rule.route ?? []).filter((d) => resolveHost(d.destination.host, vs.metadata.namespace) === reviewsHost && d.destination.subset).map((d) => d.destination.subset ?? ''),
  );
}

/** Kiali's validation of one object, if Kiali lists it. */
export const validationOf = (all: ObjectValidation[], kind: string, name: string) => all.find((v) => v.kind === kind && v.name === name && v.namespace === ns);

/** `KIA1107 Subset not found (warning) on VirtualService default/reviews`, for expected/actual lines. */
export const describeChecks = (v: ObjectValidation | undefined) =>
  v?.checks.map((c) => `${c.code} ${c.message} (${c.severity}) on ${v.kind} ${v.namespace}/${v.name}`) ?? [];

export const vsRef = (vs: VirtualService) => kindRef('VirtualService', vs);

export async function pollValidations(ctx: CheckContext, until: (v: ObjectValidation[]) => boolean) {
  // Kiali validates from its informer cache, which follows the API server within seconds.
  return ctx.poll(() => readValidations(ctx, ns), { timeoutMs: 20_000, intervalMs: 1_000, passesInARow: 1, until });
}
