import {
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

export const DEFAULT_PORT = 4002;

export interface PesantrenConfig extends SubgraphConfig {
  /** With it, registered and edited pesantren are relayed to the storefront, which publishes their pages. */
  storefrontPublish?: StorefrontPublishConfig | undefined;
}

const schema = z
  .object({ ...subgraphEnvShape('pesantren', DEFAULT_PORT), ...storefrontPublishEnv })
  .refine(identitySecretRequiredInProduction, IDENTITY_SECRET_MISSING)
  .refine(storefrontPublishNeedsSecret, STOREFRONT_PUBLISH_SECRET_MISSING)
  .transform((env): PesantrenConfig => ({ ...toSubgraphConfig('pesantren', env), storefrontPublish: storefrontPublishOf(env) }));

export function loadPesantrenConfig(env: NodeJS.ProcessEnv = process.env): PesantrenConfig {
  return loadConfig(schema, env);
}
