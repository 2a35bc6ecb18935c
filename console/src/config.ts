import { z } from 'zod';
import { DEFAULT_DATA_DIR, databaseConfigFrom, databaseEnv, envVar, loadConfig, serviceEnv, type DatabaseConfig, type LogLevel } from '@opop/server-kit';

export const DEFAULT_PORT = 4330;

export interface ConsoleConfig {
  environment: 'development' | 'test' | 'production';
  logLevel: LogLevel;
  host: string;
  port: number;
  /** The address people open; links in invitations and resets start with it. */
  publicUrl: string;
  /** The router the console reads and writes through, as the signed-in person. */
  routerUrl: string;
  /**
   * Where browsers meet photos: `apiOrigin` is the router's public origin, which upload URLs
   * point at (pages PUT photo bytes there); `imageOrigins` serve processed photos (the router,
   * or a bucket or CDN with S3). The pages' Content-Security-Policy allows exactly these.
   */
  photos: { apiOrigin: string; imageOrigins: string[] };
  /** Signs the access tokens the router accepts (the router's AUTH_TOKEN_SECRET). */
  accessTokenSecret: string;
  /** better-auth's secret: signs cookies, encrypts TOTP secrets. */
  accountsSecret: string;
  database: DatabaseConfig;
  sessionDays: number;
  invitationDays: number;
  signIn: { failuresPerAccount: number; lockMinutes: number; attemptsPerAddress: number };
  redisUrl: string | undefined;
  smtp: { url: string; from: string } | undefined;
  /** Proxies whose X-Forwarded-For is believed (none by default). */
  trustedProxies: string[];
  firstAdmin: { email: string | undefined; password: string | undefined };
  seedDemoAccounts: boolean;
}

const schema = z
  .object({
    ...serviceEnv,
    PORT: envVar.port(DEFAULT_PORT),
    PUBLIC_URL: envVar.url().optional(),
    ROUTER_URL: envVar.url().default('http://127.0.0.1:4000/graphql'),
    // The same variables as the catalogue's, which makes the URLs these origins must allow.
    PUBLIC_API_URL: envVar.url().default('http://localhost:4000'),
    PHOTOS_PUBLIC_URL: envVar.url().optional(),
    S3_PUBLIC_URL: envVar.url().optional(),
    S3_URL: envVar.url().optional(),
    AUTH_TOKEN_SECRET: envVar.secret(),
    ACCOUNTS_SECRET: envVar.secret(),
    ...databaseEnv('accounts', DEFAULT_DATA_DIR),
    SESSION_DAYS: z.coerce.number().int().min(1).max(90).default(7),
    INVITATION_DAYS: z.coerce.number().int().min(1).max(30).default(7),
    SIGN_IN_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).max(100).default(5),
    SIGN_IN_LOCK_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
    SIGN_IN_ATTEMPTS_PER_ADDRESS: z.coerce.number().int().min(1).max(100_000).default(30),
    REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// URL' }).optional(),
    SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL' }).optional(),
    MAIL_FROM: z.string().min(3).default('OPOP Jatim <no-reply@localhost>'),
    TRUSTED_PROXIES: envVar.list().default([]),
    ADMIN_EMAIL: z.string().optional(),
    ADMIN_PASSWORD: z.string().optional(),
    SEED_DEMO_DATA: envVar.boolean(false),
  })
  .refine((env) => env.NODE_ENV !== 'production' || env.PUBLIC_URL?.startsWith('https:'), {
    path: ['PUBLIC_URL'],
    message: 'must be an https:// address in production: session cookies are sent only over HTTPS there',
  })
  .refine((env) => env.NODE_ENV !== 'production' || !env.SEED_DEMO_DATA, {
    path: ['SEED_DEMO_DATA'],
    message: 'must be off in production: demo accounts have published passwords',
  })
  .transform(
    (env): ConsoleConfig => ({
      environment: env.NODE_ENV,
      logLevel: env.LOG_LEVEL,
      host: env.HOST,
      port: env.PORT,
      publicUrl: (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, ''),
      routerUrl: env.ROUTER_URL,
      photos: {
        apiOrigin: new URL(env.PUBLIC_API_URL).origin,
        imageOrigins: [...new Set([env.PUBLIC_API_URL, env.PHOTOS_PUBLIC_URL ?? env.S3_PUBLIC_URL ?? env.S3_URL].filter((url) => url !== undefined).map((url) => new URL(url).origin))],
      },
      accessTokenSecret: env.AUTH_TOKEN_SECRET,
      accountsSecret: env.ACCOUNTS_SECRET,
      database: databaseConfigFrom(env),
      sessionDays: env.SESSION_DAYS,
      invitationDays: env.INVITATION_DAYS,
      signIn: { failuresPerAccount: env.SIGN_IN_FAILURES_PER_ACCOUNT, lockMinutes: env.SIGN_IN_LOCK_MINUTES, attemptsPerAddress: env.SIGN_IN_ATTEMPTS_PER_ADDRESS },
      redisUrl: env.REDIS_URL,
      smtp: env.SMTP_URL ? { url: env.SMTP_URL, from: env.MAIL_FROM } : undefined,
      trustedProxies: env.TRUSTED_PROXIES,
      firstAdmin: { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD },
      seedDemoAccounts: env.SEED_DEMO_DATA,
    }),
  );

export function loadConsoleConfig(env: NodeJS.ProcessEnv = process.env): ConsoleConfig {
  return loadConfig(schema, env);
}
