// Where the files under clusters/ live, resolved from this module so the CLI works from any cwd.

import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const clustersRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

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
