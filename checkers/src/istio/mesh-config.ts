import type { V1ConfigMap } from '@kubernetes/client-node';
import { parse } from 'yaml';
import { z } from 'zod';
import type { ClusterReader } from '../cluster-reader';

const meshConfigSchema = z.looseObject({
  accessLogFile: z.string().optional(),
  outboundTrafficPolicy: z.looseObject({ mode: z.string().optional() }).optional(),
  extensionProviders: z.array(z.looseObject({ name: z.string().optional() })).optional(),
  defaultProviders: z.looseObject({ tracing: z.array(z.string()).optional(), accessLogging: z.array(z.string()).optional() }).optional(),
});

/** The parts of meshConfig the checks read; unreadable YAML reads as an empty config (Istio's defaults). */
export type MeshConfig = z.infer<typeof meshConfigSchema>;

/** meshConfig from ConfigMap `data.mesh` (istiod's source of it in the learner clusters). */
export function parseMeshConfig(cm: V1ConfigMap | undefined): MeshConfig {
  try {
    return meshConfigSchema.safeParse(parse(cm?.data?.['mesh'] ?? '') ?? {}).data ?? {};
  } catch {
    return {};
  }
}

/** meshConfig of the installation: ConfigMap istio-system/istio. */
export async function readMeshConfig(ctx: { cluster: Pick<ClusterReader, 'configMap'> }): Promise<MeshConfig> {
  return parseMeshConfig(await ctx.cluster.configMap('istio-system', 'istio'));
}
