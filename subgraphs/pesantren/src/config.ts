import { loadConfig, type SubgraphConfig, subgraphConfigSchema } from '@opop/server-kit';

export const DEFAULT_PORT = 4002;

export function loadPesantrenConfig(env: NodeJS.ProcessEnv = process.env): SubgraphConfig {
  return loadConfig(subgraphConfigSchema('pesantren', DEFAULT_PORT), env);
}
