import {
  envVar,
  IDENTITY_SECRET_MISSING,
  identitySecretRequiredInProduction,
  loadConfig,
  STOREFRONT_PUBLISH_SECRET_MISSING,
  storefrontPublishEnv,
  storefrontPublishNeedsSecret,
  storefrontPublishOf,
  subgraphEnvShape,
  toSubgraphConfig,
  type StorefrontPublishConfig,
  type SubgraphConfig,
} from '@opop/server-kit';
import { z } from 'zod';

export const DEFAULT_PORT = 4005;

export interface MediaConfig extends SubgraphConfig {
  /** The pesantren subgraph, which an article's or a widget event's pesantren are checked against. */
  pesantrenUrl?: string | undefined;
  /** The catalogue subgraph, which an article's or a widget event's products are checked against. */
  catalogueUrl?: string | undefined;
  /** With it, published articles are relayed to the storefront, which publishes their pages. */
  storefrontPublish?: StorefrontPublishConfig | undefined;
}

const schema = z
  .object({
    ...subgraphEnvShape('media', DEFAULT_PORT),
    PESANTREN_URL: envVar.url().optional(),
    CATALOGUE_URL: envVar.url().optional(),
    ...storefrontPublishEnv,
  })
  .refine(identitySecretRequiredInProduction, IDENTITY_SECRET_MISSING)
  .refine(storefrontPublishNeedsSecret, STOREFRONT_PUBLISH_SECRET_MISSING)
  .refine((env) => env.NODE_ENV !== 'production' || env.PESANTREN_URL, {
    path: ['PESANTREN_URL'],
    message: 'is required in production: articles and widget events are checked against the pesantren they name',
  })
  .refine((env) => env.NODE_ENV !== 'production' || env.CATALOGUE_URL, {
    path: ['CATALOGUE_URL'],
    message: 'is required in production: articles and widget events are checked against the products they name',
  })
  .transform((env): MediaConfig => ({ ...toSubgraphConfig('media', env), pesantrenUrl: env.PESANTREN_URL, catalogueUrl: env.CATALOGUE_URL, storefrontPublish: storefrontPublishOf(env) }));

export function loadMediaConfig(env: NodeJS.ProcessEnv = process.env): MediaConfig {
  return loadConfig(schema, env);
}
