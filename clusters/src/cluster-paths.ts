// Where the files under clusters/ live, resolved from this module so the CLI works from any cwd.

import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findClustersRoot(): string {
  if (process.env.CLUSTERS_FILES_DIR) return path.resolve(process.env.CLUSTERS_FILES_DIR);
  const beside = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  if (existsSync(path.join(beside, 'kind', 'cluster.yaml'))) return beside;
  // Bundled (the portal's Next.js server build): this module no longer sits in clusters/src, so look
  // from the working directory (the repo root, or apps/portal when started inside the workspace).
  const candidates = [path.resolve(process.cwd(), 'clusters'), path.resolve(process.cwd(), '..', '..', 'clusters')];
  return candidates.find((c) => existsSync(path.join(c, 'kind', 'cluster.yaml'))) ?? beside;
}

/** The clusters/ folder: next to this module, or CLUSTERS_FILES_DIR, or ./clusters from the working directory. */
export const clustersRoot = findClustersRoot();

export const clusterFiles = {
  kindConfig: path.join(clustersRoot, 'kind', 'cluster.yaml'),
  istioOverlay: path.join(clustersRoot, 'istio', 'overlay.yaml'),
  namespaces: path.join(clustersRoot, 'manifests', 'namespaces.yaml'),
  bookinfo: path.join(clustersRoot, 'manifests', 'bookinfo.yaml'),
  bookinfoGateway: path.join(clustersRoot, 'manifests', 'bookinfo-gateway.yaml'),
  toolbox: path.join(clustersRoot, 'manifests', 'toolbox.yaml'),
  smokeTracing: path.join(clustersRoot, 'manifests', 'smoke-tracing.yaml'),
  toolboxBuildContext: path.join(clustersRoot, 'toolbox'),
} as const;

/** Local copies of the addon manifests (`npm run clusters -- fetch-addons`), used instead of the URLs when present. */
export function addonCacheDir(dataDir: string, istioVersion: string): string {
  return path.join(dataDir, 'addons', istioVersion);
}
