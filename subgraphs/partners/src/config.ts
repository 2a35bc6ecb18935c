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

export const DEFAULT_PORT = 4004;

export interface PartnersConfig extends SubgraphConfig {
  /** The pesantren subgraph, which an engagement's pesantren are checked against. */
  pesantrenUrl?: string | undefined;
  /** The catalogue subgraph, which an engagement's products are checked against. */
  catalogueUrl?: string | undefined;
  /** With it, recorded engagements are relayed to the storefront, which publishes their partner's and pesantren's pages. */
  storefrontPublish?: StorefrontPublishConfig | undefined;
}

const schema = z
  .object({
    ...subgraphEnvShape('partners', DEFAULT_PORT),
    PESANTREN_URL: envVar.url().optional(),
    CATALOGUE_URL: envVar.url().optional(),
    ...storefrontPublishEnv,
  })
  .refine(identitySecretRequiredInProduction, IDENTITY_SECRET_MISSING)
  .refine(storefrontPublishNeedsSecret, STOREFRONT_PUBLISH_SECRET_MISSING)
  .refine((env) => env.NODE_ENV !== 'production' || env.PESANTREN_URL, {
    path: ['PESANTREN_URL'],
    message: 'is required in production: an engagement is checked against the pesantren it names',
  })
  .refine((env) => env.NODE_ENV !== 'production' || env.CATALOGUE_URL, {
    path: ['CATALOGUE_URL'],
    message: 'is required in production: an engagement is checked against the products it names',
  })
  .transform((env): PartnersConfig => ({ ...toSubgraphConfig('partners', env), pesantrenUrl: env.PESANTREN_URL, catalogueUrl: env.CATALOGUE_URL, storefrontPublish: storefrontPublishOf(env) }));

export function loadPartnersConfig(env: NodeJS.ProcessEnv = process.env): PartnersConfig {
  return loadConfig(schema, env);
}
