import { fileURLToPath } from 'node:url';
import { loadConfig, subgraphConfigSchema, type SubgraphConfig } from '@opop/server-kit';

export const DEFAULT_PORT = 4004;
/** The repository's `.data/` folder, wherever the process was started from. */
const DEFAULT_DATA_DIR = fileURLToPath(new URL('../../../.data', import.meta.url));

export function loadPartnersConfig(env: NodeJS.ProcessEnv = process.env): SubgraphConfig {
  return loadConfig(subgraphConfigSchema('partners', DEFAULT_PORT, DEFAULT_DATA_DIR), env);
}
