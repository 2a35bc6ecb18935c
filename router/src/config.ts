import { z } from 'zod';
import { envVar, loadConfig, serviceEnv, type ServiceConfig } from '@opop/server-kit';
import { SUBGRAPHS, type SubgraphName } from './subgraphs.ts';

export interface RouterConfig extends ServiceConfig {
  subgraphUrls: Record<SubgraphName, string>;
  /** Verifies operators' and admins' bearer tokens; without it the router accepts anonymous traffic only. */
  accessTokenSecret: string | undefined;
  /** Signs the identity forwarded to subgraphs; must match theirs. */
  identitySecret: string | undefined;
  corsOrigins: '*' | string[];
  supergraphPath: string | undefined;
}

const subgraphUrlEnv = Object.fromEntries(SUBGRAPHS.map((s) => [s.urlVariable, envVar.url().default(s.defaultUrl)])) as Record<
  (typeof SUBGRAPHS)[number]['urlVariable'],
  z.ZodDefault<z.ZodURL>
>;

const schema = z
  .object({
    ...serviceEnv,
    PORT: envVar.port(4000),
    ...subgraphUrlEnv,
    AUTH_TOKEN_SECRET: envVar.secret().optional(),
    ROUTER_IDENTITY_SECRET: envVar.secret().optional(),
    CORS_ORIGINS: envVar.list().default(['*']),
    SUPERGRAPH_PATH: z.string().min(1).optional(),
  })
  .refine((env) => env.NODE_ENV !== 'production' || env.ROUTER_IDENTITY_SECRET, {
    path: ['ROUTER_IDENTITY_SECRET'],
    message: 'is required in production: subgraphs trust only identities signed with it',
  })
  .refine((env) => !env.AUTH_TOKEN_SECRET || env.ROUTER_IDENTITY_SECRET, {
    path: ['ROUTER_IDENTITY_SECRET'],
    message: 'is required when AUTH_TOKEN_SECRET is set: without it the verified identity cannot reach the subgraphs',
  })
  .transform(
    (env): RouterConfig => ({
      environment: env.NODE_ENV,
      logLevel: env.LOG_LEVEL,
      host: env.HOST,
      port: env.PORT,
      subgraphUrls: Object.fromEntries(SUBGRAPHS.map((s) => [s.name, env[s.urlVariable]])) as Record<SubgraphName, string>,
      accessTokenSecret: env.AUTH_TOKEN_SECRET,
      identitySecret: env.ROUTER_IDENTITY_SECRET,
      corsOrigins: env.CORS_ORIGINS.includes('*') ? '*' : env.CORS_ORIGINS,
      supergraphPath: env.SUPERGRAPH_PATH,
    }),
  );

export function loadRouterConfig(env: NodeJS.ProcessEnv = process.env): RouterConfig {
  return loadConfig(schema, env);
}
