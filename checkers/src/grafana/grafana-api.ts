import { z } from 'zod';

/**
 * Grafana's search hit, pinned to the Grafana of the learner clusters (12.0.1, clusters/versions.ts):
 * grafana/grafana pkg/services/search/model/model.go `Hit` (uid, title, url, type "dash-db" |
 * "dash-folder", tags, folderTitle when in a folder...). The one shape both the checks and the portal's
 * dashboard summary read `/api/search` with.
 */
export const grafanaSearchHitSchema = z.looseObject({ uid: z.string(), title: z.string(), type: z.string(), folderTitle: z.string().optional() });
export type GrafanaSearchHit = z.infer<typeof grafanaSearchHitSchema>;
