// Picks the provider named by the configuration.

import type { Logger } from 'pino';
import type { ClustersConfig } from './clusters-config';
import type { EnvironmentProvider } from './environment-provider';
import { ExistingEnvironmentProvider } from './existing-environment-provider';
import { KindEnvironmentProvider } from './kind-environment-provider';
import { LocalEnvironmentProvider } from './local-environment-provider';

export function createEnvironmentProvider(config: ClustersConfig, logger: Logger): EnvironmentProvider {
  switch (config.provider) {
    case 'kind':
      return KindEnvironmentProvider.fromConfig(config, logger);
    case 'existing':
      return ExistingEnvironmentProvider.fromConfig(config, logger);
    case 'local':
      return LocalEnvironmentProvider.fromConfig(config);
  }
}
