import {
  envVar,
  IDENTITY_SECRET_MISSING,
  identitySecretRequiredInProduction,
  loadConfig,
  subgraphEnvShape,
  toSubgraphConfig,
  type SubgraphConfig,
} from '@opop/server-kit';
import { z } from 'zod';

export const DEFAULT_PORT = 4003;

export interface AcademicsConfig extends SubgraphConfig {
  /**
   * Keys the per-partner pseudonyms of santri records. Required in production; elsewhere the
   * service (and the suites that build every subgraph from a plain SubgraphConfig) may run
   * without it, on a random key of its own.
   */
  pseudonymSecret?: string | undefined;
  /** The pesantren subgraph, which new programmes are checked against (their pesantren exists; its regency). */
  pesantrenUrl?: string | undefined;
}

const schema = z
  .object({
    ...subgraphEnvShape('academics', DEFAULT_PORT),
    PSEUDONYM_SECRET: envVar.secret().optional(),
    PESANTREN_URL: z.url().optional(),
  })
  .refine(identitySecretRequiredInProduction, IDENTITY_SECRET_MISSING)
  .refine((env) => env.NODE_ENV !== 'production' || env.PSEUDONYM_SECRET, {
    path: ['PSEUDONYM_SECRET'],
    message: 'is required in production: it keys the pseudonyms academic partners receive, and changing it later changes every pseudonym',
  })
  .refine((env) => env.NODE_ENV !== 'production' || env.PESANTREN_URL, {
    path: ['PESANTREN_URL'],
    message: 'is required in production: new programmes are checked against the pesantren they name and its regency',
  })
  .transform((env): AcademicsConfig => ({ ...toSubgraphConfig('academics', env), pseudonymSecret: env.PSEUDONYM_SECRET, pesantrenUrl: env.PESANTREN_URL }));

export function loadAcademicsConfig(env: NodeJS.ProcessEnv = process.env): AcademicsConfig {
  return loadConfig(schema, env);
}
