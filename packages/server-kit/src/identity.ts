import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import { forbidden, unauthenticated, withoutHttpStatus } from './errors.ts';

export const ROLES = ['anonymous', 'media_partner', 'academic_partner', 'pesantren_operator', 'programme_admin'] as const;
/**
 * `service` is the router itself, for internal lookups (an API key's holder) on fields hidden
 * from the public schema. Only forwarded identities carry it; no access token does.
 */
export const SERVICE_ROLE = 'service';
export type Role = (typeof ROLES)[number] | typeof SERVICE_ROLE;

/** Who is calling, as the router established it. Subgraphs decide what that identity may do. */
export interface Identity {
  role: Role;
  /** Stable subject of the caller (a user id, or `apikey:<key id>`); null for anonymous traffic. */
  subject: string | null;
  /** The pesantren an operator acts for; operators can only touch this pesantren's data. */
  pesantrenId: string | null;
  scopes: readonly string[];
  /** The partner an API key (or a partner's token) belongs to: per-partner pseudonyms and audit records name it. */
  partnerId?: string | null;
}

export const ANONYMOUS: Identity = Object.freeze({ role: 'anonymous', subject: null, pesantrenId: null, scopes: Object.freeze([]) });

/** A signed-in caller's answers may depend on who they are, so no cache may keep them. */
export const answersOnlyForTheCaller = (identity: Identity | undefined): boolean => identity !== undefined && identity.role !== 'anonymous';

/** Header carrying the router-signed identity to subgraphs. */
export const IDENTITY_HEADER = 'x-opop-identity';

const ISSUER = 'opop-platform';
const ACCESS_AUDIENCE = 'opop-api';
const FORWARD_AUDIENCE = 'opop-subgraphs';
const ALGORITHM = 'HS256';

const claimsSchema = z
  .object({
    sub: z.string().min(1),
    role: z.enum([...ROLES, SERVICE_ROLE]),
    pesantren_id: z.uuid().nullish(),
    partner_id: z.uuid().nullish(),
    scope: z.string().optional(),
  })
  .refine((claims) => claims.role !== 'pesantren_operator' || Boolean(claims.pesantren_id), {
    message: 'an operator token must name its pesantren_id',
  });

const key = (secret: string) => new TextEncoder().encode(secret);

function toClaims(identity: Identity): Record<string, unknown> {
  return {
    role: identity.role,
    ...(identity.pesantrenId ? { pesantren_id: identity.pesantrenId } : {}),
    ...(identity.partnerId ? { partner_id: identity.partnerId } : {}),
    ...(identity.scopes.length ? { scope: identity.scopes.join(' ') } : {}),
  };
}

function fromClaims(payload: unknown): Identity {
  const claims = claimsSchema.parse(payload);
  return {
    role: claims.role,
    subject: claims.sub,
    pesantrenId: claims.pesantren_id ?? null,
    partnerId: claims.partner_id ?? null,
    scopes: claims.scope ? claims.scope.split(' ').filter(Boolean) : [],
  };
}

/** The identity a token carries, and when the token expires (ms since the epoch). */
async function verify(token: string, secret: string, audience: string, what: string): Promise<{ identity: Identity; expiresAt: number | undefined }> {
  try {
    const { payload } = await jwtVerify(token, key(secret), { issuer: ISSUER, audience, algorithms: [ALGORITHM] });
    const identity = fromClaims(payload);
    if (audience === ACCESS_AUDIENCE && (identity.role === 'anonymous' || identity.role === SERVICE_ROLE)) throw new Error('access tokens are never anonymous nor the service');
    return { identity: identity.role === 'anonymous' ? ANONYMOUS : identity, expiresAt: payload.exp === undefined ? undefined : payload.exp * 1000 };
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) throw unauthenticated(`The ${what} has expired`);
    throw unauthenticated(`The ${what} is not valid`);
  }
}

/** Issues an access token for an operator or admin (used by `npm run token` and by tests). */
export async function issueAccessToken(
  identity: Omit<Identity, 'subject'> & { subject: string },
  secret: string,
  expiresIn: string = '12h',
): Promise<string> {
  if (identity.role === 'anonymous' || identity.role === SERVICE_ROLE) throw new Error('anonymous callers and the service do not get access tokens');
  return new SignJWT(toClaims(identity))
    .setProtectedHeader({ alg: ALGORITHM })
    .setIssuer(ISSUER)
    .setAudience(ACCESS_AUDIENCE)
    .setSubject(identity.subject)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(key(secret));
}

/** Verifies a caller's `Authorization: Bearer` token at the router. */
export const verifyAccessToken = async (token: string, secret: string): Promise<Identity> => (await verify(token, secret, ACCESS_AUDIENCE, 'access token')).identity;

/** How long a forwarded identity is valid; the router reuses one for half of it. */
export const FORWARDED_IDENTITY_TTL_SECONDS = 60;

/**
 * Signs the identity the router forwards to subgraphs. Short-lived, so a captured header is
 * useless a minute later; a distinct audience, so a user's access token is never accepted as one.
 */
export async function signForwardedIdentity(identity: Identity, secret: string): Promise<string> {
  return new SignJWT(toClaims(identity))
    .setProtectedHeader({ alg: ALGORITHM })
    .setIssuer(ISSUER)
    .setAudience(FORWARD_AUDIENCE)
    .setSubject(identity.subject ?? 'anonymous')
    .setIssuedAt()
    .setExpirationTime(`${FORWARDED_IDENTITY_TTL_SECONDS}s`)
    .sign(key(secret));
}

/**
 * Forwarded identities already verified, per secret, until they expire. The router reuses each
 * signed identity for half a minute, so nearly every request carries a token verified before,
 * and an HMAC verification per request was a tenth of a subgraph's CPU. Only tokens that verified
 * are kept, keyed by their exact text.
 */
const verifiedForwarded = new Map<string, LRUCache<string, Identity>>();

export async function verifyForwardedIdentity(token: string, secret: string): Promise<Identity> {
  let verified = verifiedForwarded.get(secret);
  if (!verified) verifiedForwarded.set(secret, (verified = new LRUCache<string, Identity>({ max: 10_000 })));
  const known = verified.get(token);
  if (known) return known;
  const { identity, expiresAt } = await verify(token, secret, FORWARD_AUDIENCE, 'forwarded identity');
  const ttl = expiresAt === undefined ? 0 : expiresAt - Date.now();
  if (ttl > 0) verified.set(token, identity, { ttl });
  return identity;
}

/** Reads `Authorization: Bearer <token>`; undefined when the header is absent. */
export function bearerToken(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(value.trim());
  if (!match?.[1]) throw unauthenticated('The Authorization header must be "Bearer <token>"');
  return match[1];
}

/** The subject the router gives the identity of an API key: `apikey:<key id>`. No access token is issued with it. */
export const API_KEY_SUBJECT_PREFIX = 'apikey:';

/**
 * Whether the caller is an API key rather than a person: managing keys (making, revoking) is for
 * people, or a leaked key could outlive its revocation through the keys it made.
 */
export const isApiKeyIdentity = (identity: Identity): boolean => identity.subject?.startsWith(API_KEY_SUBJECT_PREFIX) ?? false;

/**
 * Who a write is recorded as (audit rows, curation history): the credential's subject. Every
 * identity the router signs for a writer has one; 'unknown' only marks a token minted without.
 */
export const actorOf = (identity: Identity): string => identity.subject ?? 'unknown';

/** Operators act for their own pesantren only; programme admins for every pesantren. */
export function canManagePesantren(identity: Identity, pesantrenId: string): boolean {
  return identity.role === 'programme_admin' || (identity.role === 'pesantren_operator' && identity.pesantrenId === pesantrenId);
}

/**
 * The one check resolvers and services make themselves: ownership, which the schema cannot say.
 * Roles and scopes are declared in the SDL (@policy, @requiresScopes) and enforced before any
 * resolver runs (access.ts); whether this operator may act for *this* pesantren is decided here.
 */
export function requirePesantrenManager(identity: Identity, pesantrenId: string, refusal = 'You may only manage your own pesantren'): void {
  if (!canManagePesantren(identity, pesantrenId)) throw forbidden(refusal);
}

/**
 * The pesantren an operator's listings are limited to: their own, whatever they ask for; an
 * admin's choice (or every pesantren, null) otherwise.
 */
export const pesantrenInScope = (identity: Identity, asked: string | null | undefined): string | null =>
  identity.role === 'pesantren_operator' ? identity.pesantrenId : (asked ?? null);

/** The roles that act for a partner organisation (the partners subgraph's Partner, `identity.partnerId`). */
export const PARTNER_ROLES = ['media_partner', 'academic_partner'] as const satisfies readonly Role[];

const isPartnerRole = (role: Role): role is (typeof PARTNER_ROLES)[number] => (PARTNER_ROLES as readonly Role[]).includes(role);

/**
 * Media and academic partners act for their own partner only (`identity.partnerId`, set by API
 * keys and by the console's signed-in partners); programme admins for every partner. A partner
 * caller without a partner id owns nothing, nor does anything with a partner id of null (an
 * outlet no partner has claimed).
 */
export function canManagePartner(identity: Identity, partnerId: string | null | undefined): boolean {
  if (identity.role === 'programme_admin') return true;
  if (!isPartnerRole(identity.role) || !identity.partnerId || !partnerId) return false;
  return identity.partnerId.toLowerCase() === partnerId.toLowerCase();
}

/**
 * The ownership check for partners, as `requirePesantrenManager` is for operators: roles are
 * declared in the SDL; whether this partner may act for *this* partner's keys, outlet or audit
 * trail is decided here, and only here.
 */
export function requireOwnPartner(identity: Identity, partnerId: string | null | undefined, refusal = 'You may only manage your own organisation'): void {
  if (!canManagePartner(identity, partnerId)) throw forbidden(refusal);
}

/**
 * The partner a partner's listing is limited to: their own when they name none or name their own,
 * FORBIDDEN when they name another; an admin's choice (or every partner, null) otherwise.
 */
export function partnerInScope(identity: Identity, asked: string | null | undefined, refusal?: string): string | null {
  if (identity.role === 'programme_admin') return asked ?? null;
  const wanted = asked ?? identity.partnerId ?? null;
  requireOwnPartner(identity, wanted, refusal);
  return wanted!.toLowerCase();
}
