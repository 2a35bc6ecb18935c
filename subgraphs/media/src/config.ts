import { loadConfig, type SubgraphConfig, subgraphConfigSchema } from '@opop/server-kit';

export const DEFAULT_PORT = 4005;

export function loadMediaConfig(env: NodeJS.ProcessEnv = process.env): SubgraphConfig {
  return loadConfig(subgraphConfigSchema('media', DEFAULT_PORT), env);
}
