import { Migration } from '@mikro-orm/migrations';

/**
 * better-auth's tables (user, session, account, verification, twoFactor; with the admin and
 * two-factor plugins), as its own `getMigrations` compiles them for PostgreSQL, followed by ours.
 * test/accounts-schema.test.ts fails when better-auth would want a different schema.
 */
export class Migration20261204210000_accounts extends Migration {
  override name = 'Migration20261204210000_accounts';

  override up(): void | Promise<void> {
    this.addSql(`create table "user" ("id" text not null primary key, "name" text not null, "email" text not null unique, "emailVerified" boolean not null, "image" text, "createdAt" timestamptz default CURRENT_TIMESTAMP not null, "updatedAt" timestamptz default CURRENT_TIMESTAMP not null, "role" text, "banned" boolean, "banReason" text, "banExpires" timestamptz, "twoFactorEnabled" boolean);`);
    this.addSql(`create table "session" ("id" text not null primary key, "expiresAt" timestamptz not null, "token" text not null unique, "createdAt" timestamptz default CURRENT_TIMESTAMP not null, "updatedAt" timestamptz not null, "ipAddress" text, "userAgent" text, "userId" text not null references "user" ("id") on delete cascade, "impersonatedBy" text);`);
    this.addSql(`create table "account" ("id" text not null primary key, "accountId" text not null, "providerId" text not null, "userId" text not null references "user" ("id") on delete cascade, "accessToken" text, "refreshToken" text, "idToken" text, "accessTokenExpiresAt" timestamptz, "refreshTokenExpiresAt" timestamptz, "scope" text, "password" text, "createdAt" timestamptz default CURRENT_TIMESTAMP not null, "updatedAt" timestamptz not null);`);
    this.addSql(`create table "verification" ("id" text not null primary key, "identifier" text not null, "value" text not null, "expiresAt" timestamptz not null, "createdAt" timestamptz default CURRENT_TIMESTAMP not null, "updatedAt" timestamptz default CURRENT_TIMESTAMP not null);`);
    this.addSql(`create table "twoFactor" ("id" text not null primary key, "secret" text not null, "backupCodes" text not null, "userId" text not null references "user" ("id") on delete cascade, "verified" boolean, "failedVerificationCount" integer, "lockedUntil" timestamptz);`);
    this.addSql(`create index "session_userId_idx" on "session" ("userId");`);
    this.addSql(`create index "account_userId_idx" on "account" ("userId");`);
    this.addSql(`create index "verification_identifier_idx" on "verification" ("identifier");`);
    this.addSql(`create index "twoFactor_secret_idx" on "twoFactor" ("secret");`);
    this.addSql(`create index "twoFactor_userId_idx" on "twoFactor" ("userId");`);

    this.addSql(`create table "membership" ("id" uuid not null, "user_id" varchar(64) not null references "user" ("id") on delete cascade, "kind" text not null, "organisation_id" uuid null, "organisation_name" varchar(200) not null, "scopes" text[] not null, "granted_by" varchar(64) null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "membership_user_id_index" on "membership" ("user_id");`);
    this.addSql(`alter table "membership" add constraint "membership_kind_check" check ("kind" in ('PESANTREN_OPERATOR', 'PROGRAMME_OFFICE', 'MEDIA_PARTNER', 'ACADEMIC_PARTNER'));`);
    // One membership per person, kind and organisation; the office is one organisation (null id).
    this.addSql(`create unique index "membership_user_kind_organisation_unique" on "membership" ("user_id", "kind", coalesce("organisation_id", '00000000-0000-0000-0000-000000000000'::uuid));`);
    this.addSql(`alter table "membership" add constraint "membership_organisation_check" check (("kind" = 'PROGRAMME_OFFICE') = ("organisation_id" is null));`);

    this.addSql(`create table "invitation" ("id" uuid not null, "token_hash" varchar(64) not null, "contact_kind" text not null, "contact" varchar(160) not null, "name" varchar(120) not null, "kind" text not null, "organisation_id" uuid null, "organisation_name" varchar(200) not null, "scopes" text[] not null, "invited_by" varchar(64) not null, "created_at" timestamptz not null, "expires_at" timestamptz not null, "accepted_at" timestamptz null, "accepted_by" varchar(64) null, "revoked_at" timestamptz null, primary key ("id"));`);
    this.addSql(`alter table "invitation" add constraint "invitation_token_hash_unique" unique ("token_hash");`);
    this.addSql(`alter table "invitation" add constraint "invitation_contact_kind_check" check ("contact_kind" in ('EMAIL', 'WHATSAPP'));`);
    this.addSql(`alter table "invitation" add constraint "invitation_kind_check" check ("kind" in ('PESANTREN_OPERATOR', 'PROGRAMME_OFFICE', 'MEDIA_PARTNER', 'ACADEMIC_PARTNER'));`);
    this.addSql(`create index "invitation_created_at_index" on "invitation" ("created_at");`);

    this.addSql(`create table "audit_event" ("id" uuid not null, "at" timestamptz not null, "action" text not null, "actor_user_id" varchar(64) null, "subject_user_id" varchar(64) null, "subject_email" varchar(160) null, "organisation_id" uuid null, "ip" varchar(45) null, "user_agent" varchar(300) null, "detail" jsonb not null, primary key ("id"));`);
    this.addSql(`create index "audit_event_at_index" on "audit_event" ("at");`);
    this.addSql(`create index "audit_event_actor_user_id_index" on "audit_event" ("actor_user_id");`);
    this.addSql(`create index "audit_event_subject_user_id_index" on "audit_event" ("subject_user_id");`);
    this.addSql(`alter table "audit_event" add constraint "audit_event_action_check" check ("action" in ('SIGN_IN', 'SIGN_IN_FAILED', 'SIGN_IN_LOCKED', 'SIGN_OUT', 'SIGN_OUT_EVERYWHERE', 'SESSION_REVOKED', 'INVITATION_CREATED', 'INVITATION_ACCEPTED', 'INVITATION_REVOKED', 'MEMBERSHIP_GRANTED', 'MEMBERSHIP_REVOKED', 'ACCOUNT_CREATED', 'ACCOUNT_DEACTIVATED', 'ACCOUNT_REACTIVATED', 'PASSWORD_RESET_LINK_CREATED', 'PASSWORD_RESET', 'PASSWORD_CHANGED', 'TWO_FACTOR_ENABLED', 'TWO_FACTOR_DISABLED'));`);
  }
}
