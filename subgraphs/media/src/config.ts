import { fileURLToPath } from 'node:url';
import { loadConfig, subgraphConfigSchema, type SubgraphConfig } from '@opop/server-kit';

export const DEFAULT_PORT = 4005;
/** The repository's `.data/` folder, wherever the process was started from. */
const DEFAULT_DATA_DIR = fileURLToPath(new URL('../../../.data', import.meta.url));

export function loadMediaConfig(env: NodeJS.ProcessEnv = process.env): SubgraphConfig {
  return loadConfig(subgraphConfigSchema('media', DEFAULT_PORT, DEFAULT_DATA_DIR), env);
}
