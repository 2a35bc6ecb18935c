import {
  envVar,
  IDENTITY_SECRET_MISSING,
  identitySecretRequiredInProduction,
  loadConfig,
  type SubgraphConfig,
  subgraphEnvShape,
  toSubgraphConfig,
} from '@opop/server-kit';
import { z } from 'zod';

export const DEFAULT_PORT = 4001;

export interface SearchConfig {
  /** Meilisearch when set; the embedded, in-process index otherwise. */
  meiliUrl: string | undefined;
  meiliApiKey: string | undefined;
  meiliIndex: string;
  /** How often the indexer looks for outbox events it was not woken for (other instances' writes). */
  pollMs: number;
}

/** The default: the in-process index, polling the outbox every second for other instances' writes. */
export const EMBEDDED_SEARCH: SearchConfig = { meiliUrl: undefined, meiliApiKey: undefined, meiliIndex: 'products', pollMs: 1_000 };

export interface CatalogueConfig extends SubgraphConfig {
  search: SearchConfig;
  /** The pesantren subgraph, which new sellers are checked against (their pesantren exists; its regency). */
  pesantrenUrl?: string | undefined;
}

const schema = z
  .object({
    ...subgraphEnvShape('catalogue', DEFAULT_PORT),
    MEILI_URL: envVar.url().optional(),
    MEILI_API_KEY: z.string().min(1).optional(),
    MEILI_INDEX: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, 'must be letters, digits, - or _').default('products'),
    SEARCH_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(1_000),
    PESANTREN_URL: envVar.url().optional(),
  })
  .refine((env) => env.NODE_ENV !== 'production' || env.PESANTREN_URL, {
    path: ['PESANTREN_URL'],
    message: 'is required in production: new sellers are checked against the pesantren they name and its regency',
  })
  .refine(identitySecretRequiredInProduction, IDENTITY_SECRET_MISSING)
  .refine((env) => env.NODE_ENV !== 'production' || !env.MEILI_URL || env.MEILI_API_KEY, {
    path: ['MEILI_API_KEY'],
    message: 'is required in production when MEILI_URL is set',
  })
  .transform(
    (env): CatalogueConfig => ({
      ...toSubgraphConfig('catalogue', env),
      search: { meiliUrl: env.MEILI_URL, meiliApiKey: env.MEILI_API_KEY, meiliIndex: env.MEILI_INDEX, pollMs: env.SEARCH_POLL_MS },
      pesantrenUrl: env.PESANTREN_URL,
    }),
  );

export function loadCatalogueConfig(env: NodeJS.ProcessEnv = process.env): CatalogueConfig {
  return loadConfig(schema, env);
}
