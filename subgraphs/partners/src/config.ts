import { loadConfig, type SubgraphConfig, subgraphConfigSchema } from '@opop/server-kit';

export const DEFAULT_PORT = 4004;

export function loadPartnersConfig(env: NodeJS.ProcessEnv = process.env): SubgraphConfig {
  return loadConfig(subgraphConfigSchema('partners', DEFAULT_PORT), env);
}
