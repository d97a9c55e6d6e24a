import { statSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';

const maxEntries = 256;
const cache = new Map<string, { mtimeMs: number; kc: KubeConfig }>();

/**
 * A learner's kubeconfig, parsed once per file version: an addon page loads dozens of assets, each
 * one a request through the proxy. A rewritten file (a reset environment) is read again.
 */
export function loadKubeConfig(path: string): KubeConfig {
  const { mtimeMs } = statSync(path);
  const hit = cache.get(path);
  if (hit && hit.mtimeMs === mtimeMs) return hit.kc;
  const kc = new KubeConfig();
  kc.loadFromFile(path);
  if (cache.size >= maxEntries) cache.delete(cache.keys().next().value ?? '');
  cache.set(path, { mtimeMs, kc });
  return kc;
}
