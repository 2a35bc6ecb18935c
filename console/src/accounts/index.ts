import { openDatabase, type Database, type Logger } from '@opop/server-kit';
import { migrations } from '../../migrations/index.ts';
import type { ConsoleConfig } from '../config.ts';
import { AccessTokens } from './access-token.ts';
import { AccountsService, type OrganisationDirectory, type PartnerKeys } from './accounts.service.ts';
import { AuditEvent } from './audit-event.entity.ts';
import { createAuth, type Auth } from './auth.ts';
import { Invitation } from './invitation.entity.ts';
import { NO_MAILER, smtpMailer, type Mailer } from './mailer.ts';
import { Membership } from './membership.entity.ts';
import { SignInThrottle } from './sign-in-throttle.ts';
import { routerPartnerKeys } from '../router-client.ts';

export { AccountsService, type SignedIn, type RequestContext, type DemoAccount, ROLE_NAMES } from './accounts.service.ts';
export { AccountsError } from './errors.ts';
export { Membership, MEMBERSHIP_KINDS, type MembershipKind } from './membership.entity.ts';

export const ACCOUNT_ENTITIES = [Membership, Invitation, AuditEvent];

export interface Accounts {
  service: AccountsService;
  auth: Auth;
  db: Database;
  close(): Promise<void>;
}

/** Opens the accounts' database (migrating it) and wires better-auth, the throttle and the mailer. */
export async function openAccounts(config: ConsoleConfig, logger: Logger, directory: OrganisationDirectory, mailer?: Mailer, partnerKeys?: PartnerKeys): Promise<Accounts> {
  const db = await openDatabase({ service: 'accounts', config: config.database, entities: ACCOUNT_ENTITIES, migrations, logger });
  const chosenMailer = mailer ?? (config.smtp ? smtpMailer(config.smtp.url, config.smtp.from) : NO_MAILER);
  const publicUrl = config.publicUrl;
  const auth = createAuth({
    kysely: db.orm.em.getConnection().getClient(),
    schema: db.schema,
    secret: config.accountsSecret,
    baseUrl: publicUrl,
    sessionDays: config.sessionDays,
    codeFailures: config.signIn.failuresPerAccount,
    // "User not found" on a sign-in with an unknown email is routine here, not a warning.
    log: (level, message) => logger[level === 'warn' && message === 'User not found' ? 'debug' : level]({ auth: true }, message),
    lockMinutes: config.signIn.lockMinutes,
    onResetLink: async ({ email, token }) => {
      // Links an admin asked for are shown to that admin (resetLinkCapture); the rest are mailed.
      if (!chosenMailer.configured) return;
      await chosenMailer.send({
        to: email,
        subject: 'Ganti kata sandi konsol OPOP / Reset your OPOP console password',
        text: `Buka tautan ini dalam 24 jam untuk membuat kata sandi baru:\n${publicUrl}/sandi-baru/${token}\n\nOpen this link within 24 hours to set a new password.`,
      });
    },
  });
  const throttle = new SignInThrottle({ redisUrl: config.redisUrl, ...config.signIn });
  const service = new AccountsService({
    db,
    auth,
    throttle,
    mailer: chosenMailer,
    directory,
    partnerKeys: partnerKeys ?? routerPartnerKeys(config.routerUrl, config.accessTokenSecret),
    tokens: new AccessTokens(config.accessTokenSecret),
    publicUrl,
    logger,
    invitationDays: config.invitationDays,
    lockMinutes: config.signIn.lockMinutes,
  });
  return {
    service,
    auth,
    db,
    close: async () => {
      await throttle.close();
      await db.close();
    },
  };
}
