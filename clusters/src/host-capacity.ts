// How many environments one host may hold: the smallest of the configured cap, what memory allows
// (after a reserve for the host itself and the platform) and what the provider can offer.

import { totalmem } from 'node:os';
import type { ClustersConfig } from './clusters-config';

export interface EnvironmentCapacity {
  max: number;
  byConfig: number | null;
  /** null when environments cost no cluster memory (local provider). */
  byMemory: number | null;
  byProvider: number | null;
  hostMemoryMiB: number;
}

export function hostMemoryMiB(): number {
  return Math.floor(totalmem() / (1024 * 1024));
}

export function environmentCapacity(
  config: Pick<ClustersConfig, 'maxClusters' | 'memoryPerClusterMiB' | 'reservedMemoryMiB' | 'provider'>,
  memoryMiB: number,
  providerCapacity: number | null,
): EnvironmentCapacity {
  const byMemory =
    config.provider === 'kind'
      ? Math.max(0, Math.floor((memoryMiB - config.reservedMemoryMiB) / config.memoryPerClusterMiB))
      : null;
  // Local environments hold no cluster, so only the provider itself could bound them.
  const byConfig = config.provider === 'local' ? null : config.maxClusters;
  const limits = [byConfig, byMemory, providerCapacity].filter((n): n is number => n !== null);
  return {
    max: limits.length > 0 ? Math.min(...limits) : Number.MAX_SAFE_INTEGER,
    byConfig,
    byMemory,
    byProvider: providerCapacity,
    hostMemoryMiB: memoryMiB,
  };
}
