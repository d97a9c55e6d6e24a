import { z } from 'zod';
import { livePods, type CheckContext } from '../../check-api';

/** Envoy's name for the outbound cluster of a Service port (no subset). */
export function outboundCluster(port: number, fqdn: string, subset = ''): string {
  return `outbound|${port}|${subset}|${fqdn}`;
}

const clusterSchema = z.looseObject({ name: z.string(), lbPolicy: z.string().optional() });
export type EnvoyCluster = z.infer<typeof clusterSchema>;

/**
 * Finds a cluster by name anywhere in an istiod `/debug/config_dump` answer (an Envoy ConfigDump:
 * configs[].dynamicActiveClusters[].cluster). Walks the JSON rather than trusting one layout, since
 * the admin dump nests clusters differently across Envoy versions.
 */
export function findCluster(dump: unknown, name: string): EnvoyCluster | undefined {
  const stack: unknown[] = [dump];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) stack.push(...node);
    else if (node && typeof node === 'object') {
      const rec = node as Record<string, unknown>;
      if (rec['name'] === name) {
        const parsed = clusterSchema.safeParse(rec);
        if (parsed.success) return parsed.data;
      }
      stack.push(...Object.values(rec));
    }
  }
  return undefined;
}

/** The lbPolicy Envoy runs; proto3 JSON omits the default, ROUND_ROBIN. */
export function effectiveLbPolicy(cluster: EnvoyCluster): string {
  return cluster.lbPolicy ?? 'ROUND_ROBIN';
}

export interface ProductpageDump {
  proxyId: string;
  cluster: EnvoyCluster | undefined;
}

/** What istiod generates for the productpage proxy's outbound reviews cluster. */
export async function productpageReviewsCluster(ctx: Pick<CheckContext, 'cluster' | 'probes'>): Promise<ProductpageDump | undefined> {
  const pod = livePods(await ctx.cluster.pods('default', 'app=productpage'))[0];
  if (!pod?.metadata?.name) return undefined;
  const proxyId = `${pod.metadata.name}.default`;
  const text = await ctx.probes.istiod(`/debug/config_dump?proxyID=${encodeURIComponent(proxyId)}`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { proxyId, cluster: undefined };
  }
  return { proxyId, cluster: findCluster(json, outboundCluster(9080, 'reviews.default.svc.cluster.local')) };
}
