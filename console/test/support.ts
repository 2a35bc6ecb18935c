import { Secret, TOTP } from 'otpauth';
import { TEST_ACCESS_TOKEN_SECRET, testDatabaseConfig, type TestEngine } from '@opop/server-kit/testing';
import type { ConsoleConfig } from '../src/config.ts';
import type { OrganisationDirectory, RequestContext } from '../src/accounts/accounts.service.ts';

export const TEST_ACCOUNTS_SECRET = 'test-accounts-secret-0123456789abcdef-0123';

export function testConsoleConfig(engine: TestEngine, overrides: Partial<ConsoleConfig> = {}): ConsoleConfig {
  return {
    environment: 'test',
    logLevel: 'silent',
    host: '127.0.0.1',
    port: 0,
    publicUrl: 'http://localhost:4330',
    routerUrl: 'http://127.0.0.1:9/graphql',
    photos: { apiOrigin: 'http://localhost:4000', imageOrigins: ['http://localhost:4000'] },
    accessTokenSecret: TEST_ACCESS_TOKEN_SECRET,
    accountsSecret: TEST_ACCOUNTS_SECRET,
    database: testDatabaseConfig('accounts', engine),
    sessionDays: 7,
    invitationDays: 7,
    signIn: { failuresPerAccount: 5, lockMinutes: 15, attemptsPerAddress: 1_000 },
    redisUrl: undefined,
    smtp: undefined,
    trustedProxies: [],
    firstAdmin: { email: undefined, password: undefined },
    seedDemoAccounts: false,
    ...overrides,
  };
}

/** Organisations a test knows by slug, standing in for the router's answers. */
export function directoryOf(organisations: Record<string, { id: string; name: string; kind: 'PESANTREN_OPERATOR' | 'MEDIA_PARTNER' | 'ACADEMIC_PARTNER' }>): OrganisationDirectory {
  return {
    find: async (kind, slug) => {
      const found = organisations[slug];
      return found && found.kind === kind ? { id: found.id, name: found.name } : null;
    },
  };
}

/** One browser: keeps the cookies the console sets and sends them back, as a browser would. */
export class Browser {
  private readonly cookies = new Map<string, string>();
  readonly ip: string;

  constructor(ip = '203.0.113.7') {
    this.ip = ip;
  }

  take(setCookies: readonly string[]): void {
    for (const line of setCookies) {
      const [pair, ...attributes] = line.split(';');
      const index = pair!.indexOf('=');
      const name = pair!.slice(0, index).trim();
      const value = pair!.slice(index + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === '';
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  set(name: string, value: string): void {
    this.cookies.set(name, value);
  }

  context(): RequestContext {
    const headers = new Headers({ 'user-agent': 'vitest' });
    if (this.cookies.size) headers.set('cookie', this.cookieHeader());
    return { headers, ip: this.ip, userAgent: 'vitest' };
  }
}

/** The current code of an authenticator app holding the secret of `totpUri`, computed independently of better-auth. */
export function authenticatorCode(totpUri: string, offsetPeriods = 0): string {
  const secret = new URL(totpUri).searchParams.get('secret')!;
  const totp = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' });
  return totp.generate({ timestamp: Date.now() + offsetPeriods * 30_000 });
}
