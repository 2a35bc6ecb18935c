import { createHash, randomBytes } from 'node:crypto';
import type { Database, Logger } from '@opop/server-kit';
import { ADMIN_ROLE, resetLinkCapture, type Auth } from './auth.ts';
import { acceptInput, email as emailSchema, invitationInput, parseForm, password as passwordSchema, signInInput, totpCode } from './accounts.input.ts';
import { AccountsRepository, DEMO_GRANTOR } from './accounts.repository.ts';
import { AccessTokens, identityFor } from './access-token.ts';
import { AuditEvent, type AuditAction } from './audit-event.entity.ts';
import { AccountsError, refuse } from './errors.ts';
import { Invitation } from './invitation.entity.ts';
import type { Mailer } from './mailer.ts';
import { Membership, type MembershipKind } from './membership.entity.ts';
import type { SignInThrottle } from './sign-in-throttle.ts';

/** Where a request came from, for the audit trail and the sign-in throttle. */
export interface RequestContext {
  /** The browser's request headers (its cookies above all). */
  headers: Headers;
  ip: string;
  userAgent: string | null;
}

export interface Person {
  id: string;
  name: string;
  email: string;
  twoFactorEnabled: boolean;
  deactivated: boolean;
}

export interface SignedIn {
  user: Person;
  session: { id: string; expiresAt: Date };
  memberships: Membership[];
}

/** Cookies for the browser after a step that changed them (signed in, signed out, 2FA pending). */
export interface CookieResult {
  cookies: string[];
}

/** The pesantren or partner a membership is for, as the router knows it. */
export interface Organisation {
  id: string;
  name: string;
}

/** Finds organisations by the slug of their page; the console asks the router (router-client.ts). */
export interface OrganisationDirectory {
  find(kind: Exclude<MembershipKind, 'PROGRAMME_OFFICE'>, slug: string): Promise<Organisation | null>;
}

/**
 * API keys belong to the partner, but a key a person made must not outlive their access: when
 * they are deactivated or lose the partner's membership, the keys they made are revoked.
 */
export interface PartnerKeys {
  /** Revokes the partner's keys whose creator is `subject`; resolves with how many. */
  revokeKeysMadeBy(subject: string, partnerId: string, reason: string): Promise<number>;
}

export interface AccountsServiceOptions {
  partnerKeys: PartnerKeys;
  db: Database;
  auth: Auth;
  throttle: SignInThrottle;
  mailer: Mailer;
  directory: OrganisationDirectory;
  tokens: AccessTokens;
  publicUrl: string;
  logger: Logger;
  invitationDays: number;
  lockMinutes: number;
}

const OFFICE_NAME = 'Kantor Program OPOP Jatim';

/**
 * Accounts' writes and rules, in one place: sign-in with its throttle and audit, invitations,
 * memberships, deactivation, password and two-factor changes. better-auth does the cryptography
 * and sessions; this class decides who may do what, and records it.
 */
export class AccountsService {
  private readonly options: AccountsServiceOptions;

  constructor(options: AccountsServiceOptions) {
    this.options = options;
  }

  private get auth() {
    return this.options.auth;
  }

  private repository() {
    return new AccountsRepository(this.options.db.fork(), this.options.db.schema);
  }

  // ── Sessions ────────────────────────────────────────────────────────────────────────────────

  /** The signed-in person of a request, or null (no cookie, expired, revoked, deactivated). */
  async signedIn(headers: Headers): Promise<SignedIn | null> {
    const found = await this.auth.api.getSession({ headers, query: { disableCookieCache: true } }).catch(() => null);
    if (!found) return null;
    const user = found.user as typeof found.user & { banned?: boolean | null; twoFactorEnabled?: boolean | null };
    if (user.banned) return null;
    return {
      user: { id: user.id, name: user.name, email: user.email, twoFactorEnabled: Boolean(user.twoFactorEnabled), deactivated: false },
      session: { id: found.session.id, expiresAt: new Date(found.session.expiresAt) },
      memberships: await this.repository().membershipsOf(user.id),
    };
  }

  /**
   * Checks a password. Resolves with the session cookies, or with `twoFactor` when a code is
   * still needed; refuses with WRONG_CREDENTIALS (the same for an unknown email), LOCKED_OUT
   * (with when to try again) or ACCOUNT_DEACTIVATED.
   */
  async signIn(input: unknown, context: RequestContext): Promise<CookieResult & { twoFactor: boolean }> {
    const { email, password } = parseForm(signInInput, input);
    const verdict = await this.options.throttle.beforeAttempt(email, context.ip);
    if (!verdict.allowed) {
      await this.audit('SIGN_IN_LOCKED', context, { subjectEmail: email, detail: { by: verdict.reason } });
      throw lockedOut(verdict.retryAfterSeconds);
    }
    const response = await this.auth.api.signInEmail({ body: { email, password, rememberMe: true }, headers: context.headers, asResponse: true });
    const body = (await response.json().catch(() => ({}))) as { twoFactorRedirect?: boolean; user?: { id: string }; code?: string; message?: string };
    if (response.ok) {
      await this.options.throttle.succeeded(email);
      if (!body.twoFactorRedirect) await this.audit('SIGN_IN', context, { subjectUserId: body.user?.id ?? null, actorUserId: body.user?.id ?? null, subjectEmail: email });
      return { cookies: response.headers.getSetCookie(), twoFactor: Boolean(body.twoFactorRedirect) };
    }
    if (body.message === 'ACCOUNT_DEACTIVATED' || body.code === 'BANNED_USER') {
      await this.audit('SIGN_IN_FAILED', context, { subjectEmail: email, detail: { reason: 'deactivated' } });
      throw refuse('ACCOUNT_DEACTIVATED', 'Akun ini dinonaktifkan. Hubungi kantor program OPOP.', 'This account has been deactivated. Contact the OPOP programme office.');
    }
    if (response.status >= 500) throw new Error(`sign-in failed: ${response.status} ${body.message ?? ''}`);
    const failure = await this.options.throttle.failed(email);
    await this.audit(failure.locked ? 'SIGN_IN_LOCKED' : 'SIGN_IN_FAILED', context, { subjectEmail: email, detail: { reason: 'wrong credentials' } });
    if (failure.locked) throw lockedOut(failure.retryAfterSeconds);
    throw refuse('WRONG_CREDENTIALS', 'Email atau kata sandi salah.', 'Wrong email or password.');
  }

  /** The second step of signing in: a TOTP code or one of the backup codes. */
  async verifySignInCode(input: { code?: unknown }, context: RequestContext): Promise<CookieResult> {
    const code = parseForm(totpCode, input.code ?? '');
    const verdict = await this.options.throttle.beforeAttempt(`2fa:${context.ip}`, context.ip);
    if (!verdict.allowed) throw lockedOut(verdict.retryAfterSeconds);
    const response =
      code.length === 6
        ? await this.auth.api.verifyTOTP({ body: { code, trustDevice: false }, headers: context.headers, asResponse: true })
        : await this.auth.api.verifyBackupCode({ body: { code, trustDevice: false }, headers: context.headers, asResponse: true });
    const body = (await response.json().catch(() => ({}))) as { token?: string; user?: { id: string; email: string }; message?: string; code?: string };
    if (response.status === 429) {
      await this.audit('SIGN_IN_LOCKED', context, { detail: { reason: 'too many wrong two-factor codes' } });
      throw lockedOut(this.options.lockMinutes * 60);
    }
    if (!response.ok) {
      await this.audit('SIGN_IN_FAILED', context, { detail: { reason: 'wrong two-factor code' } });
      if (response.status === 401 && body.code !== 'INVALID_CODE' && body.code !== 'INVALID_TWO_FACTOR_CODE' && body.code !== 'INVALID_BACKUP_CODE') {
        throw refuse('LINK_EXPIRED', 'Langkah masuk ini sudah kedaluwarsa. Masuk lagi dengan kata sandi.', 'This sign-in step has expired. Sign in again with your password.');
      }
      throw refuse('WRONG_CODE', 'Kode salah atau sudah kedaluwarsa.', 'Wrong or expired code.');
    }
    if (code.length === 6 && body.user && !(await this.options.throttle.spendCode(body.user.id, code))) {
      // better-auth accepted a code already used: the session it just made is taken back.
      if (body.token) await (await this.auth.$context).internalAdapter.deleteSession(body.token);
      await this.audit('SIGN_IN_FAILED', context, { subjectUserId: body.user.id, detail: { reason: 'two-factor code used twice' } });
      throw refuse('WRONG_CODE', 'Kode ini sudah dipakai. Tunggu kode berikutnya di aplikasi.', 'This code has been used already. Wait for the next code in the app.');
    }
    await this.options.throttle.succeeded(`2fa:${context.ip}`);
    await this.audit('SIGN_IN', context, { actorUserId: body.user?.id ?? null, subjectUserId: body.user?.id ?? null, subjectEmail: body.user?.email ?? null, detail: { twoFactor: code.length === 6 ? 'totp' : 'backup code' } });
    return { cookies: response.headers.getSetCookie() };
  }

  async signOut(person: SignedIn, context: RequestContext): Promise<CookieResult> {
    const response = await this.auth.api.signOut({ headers: context.headers, asResponse: true });
    this.options.tokens.forget(person.session.id);
    await this.audit('SIGN_OUT', context, { actorUserId: person.user.id, subjectUserId: person.user.id });
    return { cookies: response.headers.getSetCookie() };
  }

  /** Ends every session of the person, this one included. */
  async signOutEverywhere(person: SignedIn, context: RequestContext): Promise<CookieResult> {
    const sessions = await this.sessions(context);
    await this.auth.api.revokeSessions({ headers: context.headers });
    for (const session of sessions) this.options.tokens.forget(session.id);
    await this.audit('SIGN_OUT_EVERYWHERE', context, { actorUserId: person.user.id, subjectUserId: person.user.id, detail: { sessions: sessions.length } });
    const response = await this.auth.api.signOut({ headers: context.headers, asResponse: true }).catch(() => null);
    return { cookies: response?.headers.getSetCookie() ?? [] };
  }

  /** The person's own sessions, newest first; never their tokens. */
  async sessions(context: RequestContext): Promise<{ id: string; createdAt: Date; updatedAt: Date; expiresAt: Date; ipAddress: string | null; userAgent: string | null }[]> {
    const sessions = await this.auth.api.listSessions({ headers: context.headers });
    return sessions
      .map((s) => ({ id: s.id, createdAt: new Date(s.createdAt), updatedAt: new Date(s.updatedAt), expiresAt: new Date(s.expiresAt), ipAddress: s.ipAddress ?? null, userAgent: s.userAgent ?? null }))
      .sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime());
  }

  async revokeSession(person: SignedIn, sessionId: string, context: RequestContext): Promise<void> {
    const sessions = await this.auth.api.listSessions({ headers: context.headers });
    const session = sessions.find((s) => s.id === sessionId);
    if (!session) throw refuse('NOT_FOUND', 'Sesi itu tidak ada (mungkin sudah berakhir).', 'No such session (it may have ended already).');
    await this.auth.api.revokeSession({ body: { token: session.token }, headers: context.headers });
    this.options.tokens.forget(sessionId);
    await this.audit('SESSION_REVOKED', context, { actorUserId: person.user.id, subjectUserId: person.user.id, detail: { session: sessionId } });
  }

  // ── Password and two-factor ─────────────────────────────────────────────────────────────────

  /**
   * Pages that ask for the password again (changing it, two-factor) count wrong answers like
   * sign-in does: someone holding a borrowed session cannot guess the password there either.
   */
  private async withPasswordCheck(person: SignedIn, context: RequestContext, check: () => Promise<Response>): Promise<Response> {
    const verdict = await this.options.throttle.beforeAttempt(person.user.email, context.ip);
    if (!verdict.allowed) throw lockedOut(verdict.retryAfterSeconds);
    const response = await check();
    if (response.ok) {
      await this.options.throttle.succeeded(person.user.email);
      return response;
    }
    const failure = await this.options.throttle.failed(person.user.email);
    await this.audit(failure.locked ? 'SIGN_IN_LOCKED' : 'SIGN_IN_FAILED', context, { actorUserId: person.user.id, subjectUserId: person.user.id, subjectEmail: person.user.email, detail: { reason: 'wrong password on a signed-in page' } });
    if (failure.locked) throw lockedOut(failure.retryAfterSeconds);
    return response;
  }

  async changePassword(person: SignedIn, input: { currentPassword?: unknown; newPassword?: unknown }, context: RequestContext): Promise<CookieResult> {
    const newPassword = parseForm(passwordSchema, input.newPassword ?? '');
    const response = await this.withPasswordCheck(person, context, () =>
      this.auth.api.changePassword({
        body: { currentPassword: String(input.currentPassword ?? ''), newPassword, revokeOtherSessions: true },
        headers: context.headers,
        asResponse: true,
      }),
    );
    if (!response.ok) throw refuse('WRONG_CREDENTIALS', 'Kata sandi saat ini salah.', 'The current password is wrong.');
    await this.audit('PASSWORD_CHANGED', context, { actorUserId: person.user.id, subjectUserId: person.user.id });
    return { cookies: response.headers.getSetCookie() };
  }

  /** First step of turning on TOTP: the secret as an otpauth:// URI (shown as a QR code) and backup codes. */
  async startTwoFactor(person: SignedIn, input: { password?: unknown }, context: RequestContext): Promise<{ totpUri: string; backupCodes: string[] } & CookieResult> {
    const response = await this.withPasswordCheck(person, context, () => this.auth.api.enableTwoFactor({ body: { password: String(input.password ?? '') }, headers: context.headers, asResponse: true }));
    const body = (await response.json().catch(() => ({}))) as { totpURI?: string; backupCodes?: string[] };
    if (!response.ok || !body.totpURI) throw refuse('WRONG_CREDENTIALS', 'Kata sandi salah.', 'Wrong password.');
    return { totpUri: body.totpURI, backupCodes: body.backupCodes ?? [], cookies: response.headers.getSetCookie() };
  }

  /** Second step: a code from the app proves it holds the secret; from now on sign-in asks for one. */
  async confirmTwoFactor(person: SignedIn, input: { code?: unknown }, context: RequestContext): Promise<CookieResult> {
    const code = parseForm(totpCode, input.code ?? '');
    const response = await this.auth.api.verifyTOTP({ body: { code }, headers: context.headers, asResponse: true });
    if (!response.ok) throw refuse('WRONG_CODE', 'Kode salah. Periksa jam ponsel Anda, lalu coba kode yang baru.', "Wrong code. Check your phone's clock, then try the new code.");
    await this.audit('TWO_FACTOR_ENABLED', context, { actorUserId: person.user.id, subjectUserId: person.user.id });
    return { cookies: response.headers.getSetCookie() };
  }

  async disableTwoFactor(person: SignedIn, input: { password?: unknown }, context: RequestContext): Promise<CookieResult> {
    if (person.memberships.some((m) => m.kind === 'PROGRAMME_OFFICE')) {
      throw refuse('FORBIDDEN', 'Staf kantor program wajib memakai verifikasi dua langkah.', 'Programme office staff must use two-factor authentication.');
    }
    const response = await this.withPasswordCheck(person, context, () => this.auth.api.disableTwoFactor({ body: { password: String(input.password ?? '') }, headers: context.headers, asResponse: true }));
    if (!response.ok) throw refuse('WRONG_CREDENTIALS', 'Kata sandi salah.', 'Wrong password.');
    await this.audit('TWO_FACTOR_DISABLED', context, { actorUserId: person.user.id, subjectUserId: person.user.id });
    return { cookies: response.headers.getSetCookie() };
  }

  /**
   * Forgotten password, asked by the person. With a mail server the link is mailed; without one
   * nothing is sent and the page says to ask the programme office. The answer is the same whether
   * or not the email has an account.
   */
  async requestPasswordReset(input: { email?: unknown }, context: RequestContext): Promise<{ mailed: boolean }> {
    const email = parseForm(emailSchema, input.email ?? '');
    if (!this.options.mailer.configured) return { mailed: false };
    const verdict = await this.options.throttle.beforeAttempt(`reset:${email}`, context.ip);
    if (!verdict.allowed) throw lockedOut(verdict.retryAfterSeconds);
    await this.auth.api.requestPasswordReset({ body: { email, redirectTo: `${this.options.publicUrl}/sandi-baru` } });
    return { mailed: true };
  }

  /** Sets a new password from a one-time link; every session of the person ends. */
  async resetPassword(token: string, input: { password?: unknown }, context: RequestContext): Promise<void> {
    const newPassword = parseForm(passwordSchema, input.password ?? '');
    if (!LINK_TOKEN.test(token)) throw refuse('LINK_INVALID', 'Tautan ganti sandi ini tidak berlaku.', 'This password link does not work.');
    const response = await this.auth.api.resetPassword({ body: { token, newPassword }, asResponse: true });
    if (!response.ok) throw refuse('LINK_INVALID', 'Tautan ganti sandi ini tidak berlaku lagi (sudah dipakai atau kedaluwarsa). Minta tautan baru.', 'This password link no longer works (used or expired). Ask for a new one.');
    await this.audit('PASSWORD_RESET', context, { detail: { via: 'one-time link' } });
  }

  // ── Invitations ─────────────────────────────────────────────────────────────────────────────

  /**
   * The programme office invites a person for a role and an organisation. The one-time link is
   * returned to pass on (and a WhatsApp share link for numbers); it is mailed too when a mail
   * server is configured and the contact is an email.
   */
  async invite(actor: SignedIn, input: unknown, context: RequestContext): Promise<{ invitation: Invitation; link: string; whatsappLink: string | null; mailed: boolean }> {
    this.requireOffice(actor);
    const parsed = parseForm(invitationInput, input);
    const organisation = parsed.organisationSlug && parsed.kind !== 'PROGRAMME_OFFICE' ? await this.options.directory.find(parsed.kind, parsed.organisationSlug) : null;
    if (parsed.kind !== 'PROGRAMME_OFFICE' && !organisation) {
      throw new AccountsError('BAD_USER_INPUT', { id: 'Periksa isian yang ditandai.', en: 'Check the marked fields.' }, {
        organisationSlug: { id: `Tidak ada ${organisationNoun(parsed.kind).id} dengan slug “${parsed.organisationSlug}”.`, en: `No ${organisationNoun(parsed.kind).en} has the slug “${parsed.organisationSlug}”.` },
      });
    }
    const token = randomBytes(32).toString('base64url');
    const em = this.options.db.fork();
    const invitation = em.create(Invitation, {
      tokenHash: sha256(token),
      contactKind: parsed.contactKind,
      contact: parsed.contact,
      name: parsed.name,
      kind: parsed.kind,
      organisationId: organisation?.id ?? null,
      organisationName: organisation?.name ?? OFFICE_NAME,
      scopes: parsed.scopes,
      invitedBy: actor.user.id,
      expiresAt: new Date(Date.now() + this.options.invitationDays * 86_400_000),
    });
    em.create(AuditEvent, this.auditRow('INVITATION_CREATED', context, { actorUserId: actor.user.id, subjectEmail: parsed.contactKind === 'EMAIL' ? parsed.contact : null, organisationId: organisation?.id ?? null, detail: { invitation: invitation.id, kind: parsed.kind, contactKind: parsed.contactKind } }));
    await em.flush();
    const link = `${this.options.publicUrl}/undangan/${token}`;
    const text = invitationText(invitation, link, this.options.invitationDays);
    let mailed = false;
    if (parsed.contactKind === 'EMAIL' && this.options.mailer.configured) {
      try {
        await this.options.mailer.send({ to: parsed.contact, subject: 'Undangan ke konsol OPOP Jatim / Invitation to the OPOP console', text });
        mailed = true;
      } catch (error) {
        this.options.logger.warn({ err: error }, 'the invitation could not be mailed; the link is shown to the admin');
      }
    }
    const whatsappLink = parsed.contactKind === 'WHATSAPP' ? `https://wa.me/${parsed.contact}?text=${encodeURIComponent(text)}` : null;
    return { invitation, link, whatsappLink, mailed };
  }

  /** The invitation a link stands for, if it can still be accepted. */
  async openInvitation(token: string): Promise<Invitation> {
    if (!LINK_TOKEN.test(token)) throw linkInvalid();
    const invitation = await this.repository().invitationByHash(sha256(token));
    return checkOpen(invitation);
  }

  /**
   * Accepts an invitation. A person who is signed in gains the membership; anyone else creates
   * their account with it. The link is claimed first, atomically, so it works once even when
   * two people open it at the same moment; if the account cannot be made, the claim is undone.
   */
  async acceptInvitation(token: string, input: unknown, context: RequestContext, signedIn: SignedIn | null): Promise<{ userId: string; email: string }> {
    if (!LINK_TOKEN.test(token)) throw linkInvalid();
    const tokenHash = sha256(token);
    checkOpen(await this.repository().invitationByHash(tokenHash));
    const account = signedIn ? null : parseForm(acceptInput, input);
    const invited = emailOf((await this.repository().invitationByHash(tokenHash))!);
    // An invitation by email is for that email, whoever holds the link, signed in or not.
    if (signedIn && invited && invited !== signedIn.user.email) {
      throw refuse('FORBIDDEN', `Undangan ini untuk ${invited}; Anda masuk sebagai ${signedIn.user.email}. Keluar dulu, atau minta undangan untuk email Anda.`, `This invitation is for ${invited}; you are signed in as ${signedIn.user.email}. Sign out first, or ask for an invitation to your email.`);
    }
    if (account) {
      const invitation = await this.repository().invitationByHash(tokenHash);
      if (invitation && emailOf(invitation) && invitation.contact !== account.email) {
        throw new AccountsError('BAD_USER_INPUT', { id: 'Periksa isian yang ditandai.', en: 'Check the marked fields.' }, {
          email: { id: `Undangan ini untuk ${invitation.contact}.`, en: `This invitation is for ${invitation.contact}.` },
        });
      }
    }
    const claimed = await this.claim(tokenHash);
    let userId: string;
    let email: string;
    try {
      if (signedIn) {
        userId = signedIn.user.id;
        email = signedIn.user.email;
      } else {
        const created = await this.auth.api
          .createUser({ body: { email: account!.email, password: account!.password, name: account!.name, role: claimed.kind === 'PROGRAMME_OFFICE' ? ADMIN_ROLE : 'user' } })
          .catch((error: { body?: { code?: string } }) => {
            if (error.body?.code === 'USER_ALREADY_EXISTS' || error.body?.code === 'USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL') {
              throw new AccountsError('CONFLICT', { id: 'Email ini sudah punya akun. Masuk dulu, lalu buka tautan undangan lagi.', en: 'This email already has an account. Sign in first, then open the invitation link again.' }, {
                email: { id: 'Sudah terdaftar.', en: 'Already registered.' },
              });
            }
            throw error;
          });
        userId = created.user.id;
        email = created.user.email;
      }
      await this.grant(userId, claimed, claimed.invitedBy, context, { invitation: claimed.id });
    } catch (error) {
      await this.unclaim(claimed.id);
      throw error;
    }
    const em = this.options.db.fork();
    await em.nativeUpdate(Invitation, { id: claimed.id }, { acceptedBy: userId });
    if (!signedIn) em.create(AuditEvent, this.auditRow('ACCOUNT_CREATED', context, { subjectUserId: userId, subjectEmail: email, detail: { invitation: claimed.id } }));
    em.create(AuditEvent, this.auditRow('INVITATION_ACCEPTED', context, { actorUserId: userId, subjectUserId: userId, organisationId: claimed.organisationId, detail: { invitation: claimed.id } }));
    await em.flush();
    return { userId, email };
  }

  async revokeInvitation(actor: SignedIn, invitationId: string, context: RequestContext): Promise<void> {
    this.requireOffice(actor);
    const em = this.options.db.fork();
    const revoked = await em.nativeUpdate(Invitation, { id: invitationId, acceptedAt: null, revokedAt: null }, { revokedAt: new Date() });
    if (revoked === 0) throw refuse('NOT_FOUND', 'Undangan itu tidak ada atau sudah tidak terbuka.', 'No such open invitation.');
    em.create(AuditEvent, this.auditRow('INVITATION_REVOKED', context, { actorUserId: actor.user.id, detail: { invitation: invitationId } }));
    await em.flush();
  }

  async invitations(actor: SignedIn): Promise<Invitation[]> {
    this.requireOffice(actor);
    return this.repository().recentInvitations();
  }

  // ── People and memberships (programme office) ───────────────────────────────────────────────

  async people(actor: SignedIn, context: RequestContext, search?: string): Promise<(Person & { memberships: Membership[]; createdAt: Date })[]> {
    this.requireOffice(actor);
    const listed = await this.auth.api.listUsers({
      query: { limit: 200, sortBy: 'createdAt', sortDirection: 'desc', ...(search ? { searchField: 'email', searchValue: search, searchOperator: 'contains' } : {}) },
      headers: context.headers,
    });
    const users = listed.users as (typeof listed.users[number] & { banned?: boolean | null; twoFactorEnabled?: boolean | null })[];
    const memberships = await this.repository().membershipsOfMany(users.map((u) => u.id));
    return users.map((u) => ({
      id: u.id,
      name: u.name,
      email: u.email,
      twoFactorEnabled: Boolean(u.twoFactorEnabled),
      deactivated: Boolean(u.banned),
      createdAt: new Date(u.createdAt),
      memberships: memberships.filter((m) => m.userId === u.id),
    }));
  }

  async revokeMembership(actor: SignedIn, membershipId: string, context: RequestContext): Promise<void> {
    this.requireOffice(actor);
    const repository = this.repository();
    const membership = await repository.membership(membershipId);
    if (!membership) throw refuse('NOT_FOUND', 'Keanggotaan itu tidak ada.', 'No such membership.');
    // Demo accounts do not count: their passwords are published, so they cannot be the office's last keepers.
    if (membership.kind === 'PROGRAMME_OFFICE' && membership.grantedBy !== DEMO_GRANTOR && (await this.isLastRealOfficeMember(membership.userId))) {
      throw refuse('CONFLICT', 'Ini anggota kantor program terakhir: undang penggantinya dulu.', 'This is the last member of the programme office: invite a replacement first.');
    }
    const em = this.options.db.fork();
    await em.nativeDelete(Membership, { id: membershipId });
    const keys = await this.revokeKeysOf(membership.userId, [membership]);
    em.create(AuditEvent, this.auditRow('MEMBERSHIP_REVOKED', context, { actorUserId: actor.user.id, subjectUserId: membership.userId, organisationId: membership.organisationId, detail: { kind: membership.kind, organisation: membership.organisationName, keysRevoked: keys } }));
    await em.flush();
    if (membership.kind === 'PROGRAMME_OFFICE') await this.auth.api.setRole({ body: { userId: membership.userId, role: 'user' }, headers: context.headers });
  }

  /** Deactivation ends every session at once and refuses sign-in until reactivated. */
  async deactivate(actor: SignedIn, userId: string, context: RequestContext): Promise<void> {
    this.requireOffice(actor);
    if (userId === actor.user.id) throw refuse('CONFLICT', 'Anda tidak bisa menonaktifkan akun sendiri.', 'You cannot deactivate your own account.');
    if (await this.isLastRealOfficeMember(userId)) {
      throw refuse('CONFLICT', 'Ini anggota kantor program terakhir yang aktif: undang penggantinya dulu.', 'This is the last active member of the programme office: invite a replacement first.');
    }
    await this.auth.api.banUser({ body: { userId, banReason: `deactivated by ${actor.user.email}` }, headers: context.headers }).catch(notFound);
    const keys = await this.revokeKeysOf(userId, await this.repository().membershipsOf(userId));
    await this.audit('ACCOUNT_DEACTIVATED', context, { actorUserId: actor.user.id, subjectUserId: userId, detail: { keysRevoked: keys } });
  }

  async reactivate(actor: SignedIn, userId: string, context: RequestContext): Promise<void> {
    this.requireOffice(actor);
    await this.auth.api.unbanUser({ body: { userId }, headers: context.headers }).catch(notFound);
    await this.audit('ACCOUNT_REACTIVATED', context, { actorUserId: actor.user.id, subjectUserId: userId });
  }

  /** A one-time link (24 hours) the office passes on to a person who forgot their password. */
  async createResetLink(actor: SignedIn, userId: string, context: RequestContext): Promise<{ link: string; email: string }> {
    this.requireOffice(actor);
    const person = await this.auth.api.getUser({ query: { id: userId }, headers: context.headers }).catch(notFound);
    const capture: { url?: string; token?: string } = {};
    await resetLinkCapture.run(capture, () => this.auth.api.requestPasswordReset({ body: { email: person.email, redirectTo: `${this.options.publicUrl}/sandi-baru` } }));
    if (!capture.token) throw new Error('better-auth created no reset token');
    await this.options.throttle.succeeded(person.email);
    await this.audit('PASSWORD_RESET_LINK_CREATED', context, { actorUserId: actor.user.id, subjectUserId: userId });
    return { link: `${this.options.publicUrl}/sandi-baru/${capture.token}`, email: person.email };
  }

  /**
   * A person's own account history (their account page): what they did and what was done to their
   * account, for the office too, whose `auditTrail` without a filter is everyone's.
   */
  ownTrail(person: SignedIn, limit = 30): Promise<AuditEvent[]> {
    return this.repository().auditTrail({ userId: person.user.id, limit });
  }

  async auditTrail(actor: SignedIn, filter: { userId?: string; limit?: number } = {}): Promise<AuditEvent[]> {
    // The office reads everyone's trail; anyone else only their own.
    const userId = this.isOffice(actor) ? filter.userId : actor.user.id;
    return this.repository().auditTrail({ ...(userId ? { userId } : {}), limit: filter.limit ?? 100 });
  }

  // ── The identity the router sees ────────────────────────────────────────────────────────────

  /**
   * The access token for acting as `membershipId`. A membership the person does not hold (a
   * forged or stale switcher cookie) is refused, never silently replaced.
   */
  async accessToken(person: SignedIn, membershipId: string): Promise<string> {
    const membership = person.memberships.find((m) => m.id === membershipId);
    if (!membership) throw refuse('FORBIDDEN', 'Anda bukan anggota organisasi itu.', 'You are not a member of that organisation.');
    if (membership.kind === 'PROGRAMME_OFFICE' && !person.user.twoFactorEnabled) throw twoFactorRequired();
    return this.options.tokens.forSession(person.session.id, person.user.id, membership);
  }

  /** The scopes the router will see for the person acting as `membershipId` (a key they make may hold no more). */
  scopesOf(person: SignedIn, membershipId: string): readonly string[] {
    const membership = person.memberships.find((m) => m.id === membershipId);
    return membership ? identityFor(person.user.id, membership).scopes : [];
  }

  // ── First start and demo data ───────────────────────────────────────────────────────────────

  /**
   * Makes sure the programme office has someone. With an email and password, that account is
   * created; otherwise an invitation is made and its one-time link returned for the console to
   * print. Nothing happens when the office has a member.
   */
  async ensureFirstAdmin(given: { email?: string | undefined; password?: string | undefined; name?: string }): Promise<{ created: 'account' | 'invitation' | 'nothing'; link?: string }> {
    // Demo accounts (published passwords) do not count: the real first admin is made either way.
    if ((await this.repository().countOfficeMembers({ real: true })) > 0) return { created: 'nothing' };
    const system = { ip: 'local', userAgent: 'npm start', headers: new Headers() };
    if (given.email && given.password) {
      const account = parseForm(acceptInput, { name: given.name ?? 'Admin Program OPOP', email: given.email, password: given.password });
      const created = await this.auth.api.createUser({ body: { email: account.email, password: account.password, name: account.name, role: ADMIN_ROLE } });
      await this.grant(created.user.id, { kind: 'PROGRAMME_OFFICE', organisationId: null, organisationName: OFFICE_NAME, scopes: [] }, null, system, { firstAdmin: true });
      await this.audit('ACCOUNT_CREATED', system, { subjectUserId: created.user.id, subjectEmail: account.email, detail: { firstAdmin: true } });
      return { created: 'account' };
    }
    const token = randomBytes(32).toString('base64url');
    const em = this.options.db.fork();
    // A link printed by an earlier start that nobody used is replaced: only the newest works.
    await em.nativeUpdate(Invitation, { kind: 'PROGRAMME_OFFICE', invitedBy: 'system', acceptedAt: null, revokedAt: null }, { revokedAt: new Date() });
    em.create(Invitation, {
      tokenHash: sha256(token),
      contactKind: 'EMAIL',
      contact: '',
      name: given.name ?? 'Admin Program OPOP',
      kind: 'PROGRAMME_OFFICE',
      organisationId: null,
      organisationName: OFFICE_NAME,
      scopes: [],
      invitedBy: 'system',
      expiresAt: new Date(Date.now() + this.options.invitationDays * 86_400_000),
    });
    await em.flush();
    return { created: 'invitation', link: `${this.options.publicUrl}/undangan/${token}?pertama=1` };
  }

  /**
   * Demo accounts, one per kind of user, with published passwords: demo data only, never for a
   * real deployment (the README says so). Created once; later starts leave them as they are.
   */
  async ensureDemoAccounts(accounts: readonly DemoAccount[]): Promise<void> {
    const system = { ip: 'local', userAgent: 'demo seed', headers: new Headers() };
    for (const demo of accounts) {
      if (await this.repository().userIdByEmail(demo.email)) continue;
      const created = await this.auth.api.createUser({ body: { email: demo.email, password: demo.password, name: demo.name, role: demo.membership.kind === 'PROGRAMME_OFFICE' ? ADMIN_ROLE : 'user' } });
      await this.grant(created.user.id, { ...demo.membership, scopes: [] }, DEMO_GRANTOR, system, { demo: true });
    }
  }

  // ── Helpers ─────────────────────────────────────────────────────────────────────────────────

  /**
   * Revokes the API keys the person made for the partners of `memberships`. A failure (the router
   * away) is logged and returned as such; the deactivation or revocation itself still stands.
   */
  private async revokeKeysOf(userId: string, memberships: readonly Membership[]): Promise<number | 'failed'> {
    let revoked = 0;
    try {
      for (const membership of memberships) {
        if ((membership.kind === 'MEDIA_PARTNER' || membership.kind === 'ACADEMIC_PARTNER') && membership.organisationId) {
          revoked += await this.options.partnerKeys.revokeKeysMadeBy(`user:${userId}`, membership.organisationId, 'pembuatnya tidak lagi mewakili mitra / its maker no longer represents the partner');
        }
      }
      return revoked;
    } catch (error) {
      this.options.logger.warn({ err: error, userId }, 'the API keys a person made could not all be revoked; revoke them from the partner page');
      return 'failed';
    }
  }

  /** Whether `userId` is the only real (not demo), active member of the programme office. */
  private async isLastRealOfficeMember(userId: string): Promise<boolean> {
    const members = await this.repository().activeRealOfficeMembers();
    return members.length === 1 && members[0] === userId;
  }

  isOffice(person: SignedIn): boolean {
    return person.memberships.some((m) => m.kind === 'PROGRAMME_OFFICE');
  }

  private requireOffice(person: SignedIn): void {
    if (!this.isOffice(person)) throw refuse('FORBIDDEN', 'Hanya kantor program yang boleh melakukan ini.', 'Only the programme office may do this.');
    if (!person.user.twoFactorEnabled) throw twoFactorRequired();
  }

  private async grant(
    userId: string,
    membership: { kind: MembershipKind; organisationId?: string | null | undefined; organisationName: string; scopes: string[] },
    grantedBy: string | null,
    context: Pick<RequestContext, 'ip' | 'userAgent'>,
    detail: Record<string, unknown>,
  ): Promise<void> {
    const em = this.options.db.fork();
    const organisationId = membership.organisationId ?? null;
    const existing = await em.findOne(Membership, { userId, kind: membership.kind, organisationId });
    if (existing) throw refuse('CONFLICT', `Anda sudah anggota ${membership.organisationName}.`, `You are already a member of ${membership.organisationName}.`);
    em.create(Membership, { userId, kind: membership.kind, organisationId, organisationName: membership.organisationName, scopes: membership.scopes, grantedBy });
    em.create(AuditEvent, this.auditRow('MEMBERSHIP_GRANTED', context, { actorUserId: grantedBy, subjectUserId: userId, organisationId, detail: { kind: membership.kind, organisation: membership.organisationName, ...detail } }));
    await em.flush();
    if (membership.kind === 'PROGRAMME_OFFICE') await this.repository().setRole(userId, ADMIN_ROLE);
  }

  /** Marks the invitation accepted if, and only if, it is still open; returns it. */
  private async claim(tokenHash: string): Promise<Invitation> {
    const em = this.options.db.fork();
    const claimed = await em.nativeUpdate(Invitation, { tokenHash, acceptedAt: null, revokedAt: null, expiresAt: { $gt: new Date() } }, { acceptedAt: new Date() });
    if (claimed === 0) checkOpen(await em.findOne(Invitation, { tokenHash }));
    const invitation = await em.findOne(Invitation, { tokenHash });
    if (!invitation) throw linkInvalid();
    return invitation;
  }

  private async unclaim(invitationId: string): Promise<void> {
    await this.options.db.fork().nativeUpdate(Invitation, { id: invitationId }, { acceptedAt: null, acceptedBy: null });
  }

  private auditRow(action: AuditAction, context: Pick<RequestContext, 'ip' | 'userAgent'>, fields: Partial<Pick<AuditEvent, 'actorUserId' | 'subjectUserId' | 'subjectEmail' | 'organisationId' | 'detail'>>) {
    return {
      action,
      actorUserId: fields.actorUserId ?? null,
      subjectUserId: fields.subjectUserId ?? null,
      subjectEmail: fields.subjectEmail ?? null,
      organisationId: fields.organisationId ?? null,
      ip: context.ip.slice(0, 45),
      userAgent: context.userAgent?.slice(0, 300) ?? null,
      detail: fields.detail ?? {},
    };
  }

  private async audit(action: AuditAction, context: Pick<RequestContext, 'ip' | 'userAgent'>, fields: Parameters<AccountsService['auditRow']>[2]): Promise<void> {
    const em = this.options.db.fork();
    em.create(AuditEvent, this.auditRow(action, context, fields));
    await em.flush();
  }
}

export interface DemoAccount {
  email: string;
  password: string;
  name: string;
  membership: { kind: MembershipKind; organisationId: string | null; organisationName: string };
}

/** The email an invitation is for, if it names one; the first admin's link names none (they write theirs). */
export const emailOf = (invitation: Pick<Invitation, 'contactKind' | 'contact'>): string | null => (invitation.contactKind === 'EMAIL' && invitation.contact ? invitation.contact : null);

/** Our links' secrets are base64url (invitations) or better-auth's alphanumeric tokens: anything else is not one. */
const LINK_TOKEN = /^[A-Za-z0-9_-]{16,128}$/;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const linkInvalid = () => refuse('LINK_INVALID', 'Tautan undangan ini tidak dikenal atau sudah dibatalkan.', 'This invitation link is unknown or has been revoked.');

function checkOpen(invitation: Invitation | null): Invitation {
  if (!invitation || invitation.revokedAt) throw linkInvalid();
  if (invitation.acceptedAt) throw refuse('LINK_USED', 'Tautan undangan ini sudah dipakai. Silakan masuk.', 'This invitation link has already been used. Please sign in.');
  if (invitation.expiresAt.getTime() <= Date.now()) throw refuse('LINK_EXPIRED', 'Tautan undangan ini sudah kedaluwarsa. Minta undangan baru ke kantor program.', 'This invitation link has expired. Ask the programme office for a new one.');
  return invitation;
}

function lockedOut(retryAfterSeconds: number): AccountsError {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return new AccountsError(
    'LOCKED_OUT',
    { id: `Terlalu banyak percobaan masuk. Coba lagi dalam ${minutes} menit.`, en: `Too many sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.` },
    {},
    retryAfterSeconds,
  );
}

const twoFactorRequired = () =>
  refuse('TWO_FACTOR_REQUIRED', 'Staf kantor program harus mengaktifkan verifikasi dua langkah dulu.', 'Programme office staff must turn on two-factor authentication first.');

function notFound(error: unknown): never {
  if ((error as { body?: { code?: string } }).body?.code === 'USER_NOT_FOUND') throw refuse('NOT_FOUND', 'Orang itu tidak ada.', 'No such person.');
  throw error;
}

function organisationNoun(kind: MembershipKind): { id: string; en: string } {
  return kind === 'PESANTREN_OPERATOR' ? { id: 'pesantren', en: 'pesantren' } : { id: 'mitra', en: 'partner' };
}

function invitationText(invitation: Invitation, link: string, days: number): string {
  const role = ROLE_NAMES[invitation.kind];
  return [
    `Assalamu'alaikum ${invitation.name},`,
    `Anda diundang ke konsol OPOP Jatim sebagai ${role.id} (${invitation.organisationName}). Buka tautan ini dalam ${days} hari untuk membuat akun:`,
    link,
    '',
    `You are invited to the OPOP Jatim console as ${role.en} (${invitation.organisationName}). Open this link within ${days} days to create your account.`,
  ].join('\n');
}

export const ROLE_NAMES: Record<MembershipKind, { id: string; en: string }> = {
  PESANTREN_OPERATOR: { id: 'operator pesantren', en: 'pesantren operator' },
  PROGRAMME_OFFICE: { id: 'staf kantor program', en: 'programme office staff' },
  MEDIA_PARTNER: { id: 'mitra media', en: 'media partner' },
  ACADEMIC_PARTNER: { id: 'mitra akademik', en: 'academic partner' },
};
