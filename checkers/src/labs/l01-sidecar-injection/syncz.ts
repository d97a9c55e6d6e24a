import { z } from 'zod';

/** One proxy's xDS state as istiod's /debug/syncz reports it (what `istioctl proxy-status` shows). */
export const synczSchema = z.array(
  z.looseObject({
    proxy: z.string().optional(),
    proxy_type: z.string().optional(),
    cluster_sent: z.string().optional(),
    cluster_acked: z.string().optional(),
    listener_sent: z.string().optional(),
    listener_acked: z.string().optional(),
    route_sent: z.string().optional(),
    route_acked: z.string().optional(),
    endpoint_sent: z.string().optional(),
    endpoint_acked: z.string().optional(),
  }),
);
export type SyncEntry = z.infer<typeof synczSchema>[number];

const types = ['cluster', 'listener', 'route', 'endpoint'] as const;

/** The xDS types istiod sent to this proxy whose latest push is not ACKed yet ("STALE" in proxy-status). */
export function staleTypes(entry: SyncEntry): string[] {
  return types.filter((t) => {
    const sent = entry[`${t}_sent`];
    return sent !== undefined && sent !== '' && entry[`${t}_acked`] !== sent;
  });
}

export function parseSyncz(body: string): SyncEntry[] | undefined {
  try {
    const parsed = synczSchema.safeParse(JSON.parse(body));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
