import { AsyncLocalStorage } from 'node:async_hooks';
import { betterAuth, type BetterAuthOptions } from 'better-auth';
import { admin, twoFactor } from 'better-auth/plugins';
import type { Kysely, KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';

/**
 * Sign-in, sessions, password hashing (scrypt), TOTP and deactivation come from better-auth; we
 * write none of it. Its HTTP handler is not mounted: every flow goes through the console's own
 * server-rendered forms, which throttle sign-in, audit, and are covered by Astro's origin check
 * (CSRF). So better-auth is used as a library, through `auth.api`.
 */
export interface AuthSettings {
  kysely: Kysely<any>;
  /** The PostgreSQL schema of the accounts tables. */
  schema: string;
  /** Signs better-auth's cookies and encrypts TOTP secrets; at least 32 characters. */
  secret: string;
  /** The console's public address: links and cookie security derive from it. */
  baseUrl: string;
  sessionDays: number;
  /** Wrong two-factor codes before the account's two-factor step locks, and for how long. */
  codeFailures: number;
  lockMinutes: number;
  /** better-auth's own messages, into the service's log (pino) instead of the console. */
  log?: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;
  /** Called with every password-reset link better-auth creates (mail it, or show it to an admin). */
  onResetLink: (link: { userId: string; email: string; url: string; token: string }) => Promise<void>;
}

/** The reset link of the current request, for the admin who asked for it (see AccountsService). */
export const resetLinkCapture = new AsyncLocalStorage<{ url?: string; token?: string }>();

export const ADMIN_ROLE = 'admin';

/**
 * MikroORM, whose connection we share, reads timestamps as text (it hydrates them itself), but
 * better-auth compares them with Dates: `"2026-…" > new Date()` is false, so an expired session
 * would never expire. This plugin gives better-auth Dates for the timestamp columns of its tables.
 */
const TIMESTAMP_COLUMNS = new Set(['expiresAt', 'createdAt', 'updatedAt', 'banExpires', 'lockedUntil', 'accessTokenExpiresAt', 'refreshTokenExpiresAt']);
const POSTGRES_TIMESTAMP = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?)(?:([+-]\d{2})(?::?(\d{2}))?|Z)?$/;

export function parseTimestamp(text: string): Date | string {
  const match = POSTGRES_TIMESTAMP.exec(text);
  if (!match) return text;
  const [, day, time, hours, minutes] = match;
  return new Date(`${day}T${time}${hours ? `${hours}:${minutes ?? '00'}` : 'Z'}`);
}

export const timestampsAsDates: KyselyPlugin = {
  transformQuery: (args: PluginTransformQueryArgs): RootOperationNode => args.node,
  transformResult: async (args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> => ({
    ...args.result,
    rows: args.result.rows.map((row) => {
      let copy: UnknownRow | undefined;
      for (const [column, value] of Object.entries(row)) {
        if (typeof value === 'string' && TIMESTAMP_COLUMNS.has(column)) (copy ??= { ...row })[column] = parseTimestamp(value);
      }
      return copy ?? row;
    }),
  }),
};

export function authOptions(settings: AuthSettings) {
  const secure = settings.baseUrl.startsWith('https:');
  return {
    appName: 'OPOP Jatim',
    baseURL: settings.baseUrl,
    basePath: '/api/auth',
    secret: settings.secret,
    telemetry: { enabled: false },
    ...(settings.log ? { logger: { level: 'info' as const, log: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => settings.log!(level, message) } } : {}),
    database: { db: settings.kysely.withPlugin(timestampsAsDates), type: 'postgres', schemaName: settings.schema, transaction: true },
    emailAndPassword: {
      enabled: true,
      // Nobody signs up: people arrive through an invitation (AccountsService.acceptInvitation).
      disableSignUp: true,
      minPasswordLength: 10,
      maxPasswordLength: 128,
      autoSignIn: false,
      resetPasswordTokenExpiresIn: 24 * 60 * 60,
      revokeSessionsOnPasswordReset: true,
      sendResetPassword: async ({ user, url, token }) => {
        const capture = resetLinkCapture.getStore();
        if (capture) Object.assign(capture, { url, token });
        await settings.onResetLink({ userId: user.id, email: user.email, url, token });
      },
    },
    session: {
      expiresIn: settings.sessionDays * 24 * 60 * 60,
      // A session in use is extended once a day, so an active person is not signed out mid-week.
      updateAge: 24 * 60 * 60,
    },
    advanced: {
      cookiePrefix: 'opop',
      useSecureCookies: secure,
      defaultCookieAttributes: { httpOnly: true, sameSite: 'lax', secure, path: '/' },
      // The console passes the client address it trusts (config TRUSTED_PROXIES) itself.
      ipAddress: { ipAddressHeaders: ['x-opop-client-ip'] },
    },
    // Our forms throttle sign-in per address and per account (sign-in-throttle.ts); better-auth's
    // own limiter only guards its HTTP handler, which is not mounted.
    rateLimit: { enabled: false },
    plugins: [
      admin({ defaultRole: 'user', adminRoles: [ADMIN_ROLE], bannedUserMessage: 'ACCOUNT_DEACTIVATED' }),
      // Guessing codes locks two-factor for the account (better-auth counts consecutive failures across factors).
      twoFactor({ issuer: 'OPOP Jatim', backupCodeOptions: { amount: 8, length: 10 }, accountLockout: { enabled: true, maxFailedAttempts: settings.codeFailures, durationSeconds: settings.lockMinutes * 60 } }),
    ],
  } satisfies BetterAuthOptions;
}

export function createAuth(settings: AuthSettings) {
  return betterAuth(authOptions(settings));
}

export type Auth = ReturnType<typeof createAuth>;
