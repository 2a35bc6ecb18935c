import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  ANONYMOUS,
  bearerToken,
  issueAccessToken,
  requirePesantrenManager,
  pesantrenInScope,
  requireOwnPartner,
  partnerInScope,
  isApiKeyIdentity,
  actorOf,
  signForwardedIdentity,
  verifyAccessToken,
  verifyForwardedIdentity,
  type Identity,
} from '../src/identity.ts';

const SECRET = 'a-secret-of-at-least-thirty-two-characters';
const OTHER = 'another-secret-of-thirty-two-characters!';
const operator = { role: 'pesantren_operator' as const, subject: 'op-1', pesantrenId: '6f3d4169-33c3-5e6e-a1fd-926ce90b0546', scopes: [] };

const codeOf = async (promise: Promise<unknown>) => promise.then(() => 'ok', (error: { extensions?: { code?: string } }) => error.extensions?.code);

describe('identities and tokens', () => {
  it('round-trips an operator access token with its pesantren', async () => {
    const token = await issueAccessToken(operator, SECRET);
    await expect(verifyAccessToken(token, SECRET)).resolves.toEqual({ ...operator, partnerId: null });
  });

  it('refuses forged, expired and misdirected tokens as UNAUTHENTICATED', async () => {
    const token = await issueAccessToken(operator, SECRET);
    expect(await codeOf(verifyAccessToken(token, OTHER))).toBe('UNAUTHENTICATED');
    expect(await codeOf(verifyAccessToken(`${token}x`, SECRET))).toBe('UNAUTHENTICATED');
    const expired = await issueAccessToken(operator, SECRET, '-1m');
    await expect(verifyAccessToken(expired, SECRET)).rejects.toThrow(/expired/);
    // A forwarded identity is not an access token, and the other way round.
    const forwarded = await signForwardedIdentity(operator, SECRET);
    expect(await codeOf(verifyAccessToken(forwarded, SECRET))).toBe('UNAUTHENTICATED');
    expect(await codeOf(verifyForwardedIdentity(token, SECRET))).toBe('UNAUTHENTICATED');
  });

  it('refuses an operator token that names no pesantren', async () => {
    const token = await new SignJWT({ role: 'pesantren_operator' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('opop-platform')
      .setAudience('opop-api')
      .setSubject('op-2')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(SECRET));
    expect(await codeOf(verifyAccessToken(token, SECRET))).toBe('UNAUTHENTICATED');
  });

  it('forwards anonymous callers as anonymous', async () => {
    await expect(verifyForwardedIdentity(await signForwardedIdentity(ANONYMOUS, SECRET), SECRET)).resolves.toEqual(ANONYMOUS);
  });

  it('reads only well-formed bearer headers', () => {
    expect(bearerToken(undefined)).toBeUndefined();
    expect(bearerToken('Bearer abc.def')).toBe('abc.def');
    expect(() => bearerToken('Basic dXNlcg==')).toThrow(/Bearer/);
  });

  it('lets operators act for their own pesantren only, and admins for every one', () => {
    const admin: Identity = { role: 'programme_admin', subject: 'admin', pesantrenId: null, scopes: [] };
    const own = operator.pesantrenId!;
    const other = '00000000-0000-4000-8000-000000000001';
    expect(() => requirePesantrenManager(operator, own)).not.toThrow();
    expect(() => requirePesantrenManager(admin, other)).not.toThrow();
    expect(() => requirePesantrenManager(operator, other, 'Not your pesantren')).toThrow(
      expect.objectContaining({ message: 'Not your pesantren', extensions: expect.objectContaining({ code: 'FORBIDDEN' }) }),
    );
    expect(() => requirePesantrenManager(ANONYMOUS, own)).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'FORBIDDEN' }) }));
  });

  it("limits an operator's listings to their own pesantren, whatever they ask for", () => {
    const admin: Identity = { role: 'programme_admin', subject: 'admin', pesantrenId: null, scopes: [] };
    expect(pesantrenInScope(operator, 'someone-else')).toBe(operator.pesantrenId);
    expect(pesantrenInScope(operator, null)).toBe(operator.pesantrenId);
    expect(pesantrenInScope(admin, 'chosen')).toBe('chosen');
    expect(pesantrenInScope(admin, undefined)).toBeNull();
  });

  it('lets partners act for their own partner only, and admins for every one', () => {
    const own = '1a2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d';
    const other = '2b3c4d5e-6f7a-4b2c-9d3e-4f5a6b7c8d9e';
    const admin: Identity = { role: 'programme_admin', subject: 'admin', pesantrenId: null, scopes: [] };
    const media: Identity = { role: 'media_partner', subject: 'media', pesantrenId: null, scopes: [], partnerId: own };
    const academic: Identity = { ...media, role: 'academic_partner', subject: 'academic' };
    const refused = expect.objectContaining({ extensions: expect.objectContaining({ code: 'FORBIDDEN' }) });
    for (const partner of [media, academic]) {
      expect(() => requireOwnPartner(partner, own)).not.toThrow();
      expect(() => requireOwnPartner(partner, own.toUpperCase())).not.toThrow();
      expect(() => requireOwnPartner(partner, other)).toThrow(refused);
      // An outlet no partner claimed belongs to nobody a partner could be.
      expect(() => requireOwnPartner(partner, null)).toThrow(refused);
      // A partner credential without a partner owns nothing.
      expect(() => requireOwnPartner({ ...partner, partnerId: null }, own)).toThrow(refused);
    }
    expect(() => requireOwnPartner(admin, other)).not.toThrow();
    expect(() => requireOwnPartner(admin, null)).not.toThrow();
    for (const stranger of [ANONYMOUS, operator, { ...operator, partnerId: own } as Identity]) expect(() => requireOwnPartner(stranger, own)).toThrow(refused);
    expect(() => requireOwnPartner(media, other, 'Not your outlet')).toThrow(expect.objectContaining({ message: 'Not your outlet' }));
  });

  it("limits a partner's listings to their own partner, and refuses another one by name", () => {
    const own = '1a2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d';
    const academic: Identity = { role: 'academic_partner', subject: 'academic', pesantrenId: null, scopes: [], partnerId: own };
    const admin: Identity = { role: 'programme_admin', subject: 'admin', pesantrenId: null, scopes: [] };
    expect(partnerInScope(academic, undefined)).toBe(own);
    expect(partnerInScope(academic, own.toUpperCase())).toBe(own);
    expect(() => partnerInScope(academic, '2b3c4d5e-6f7a-4b2c-9d3e-4f5a6b7c8d9e')).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'FORBIDDEN' }) }));
    expect(() => partnerInScope({ ...academic, partnerId: null }, undefined)).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'FORBIDDEN' }) }));
    expect(partnerInScope(admin, own)).toBe(own);
    expect(partnerInScope(admin, null)).toBeNull();
  });

  it('tells an API key from a person by the subject the router gives keys', () => {
    const person: Identity = { role: 'media_partner', subject: 'user-1', pesantrenId: null, scopes: [], partnerId: '1a2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d' };
    expect(isApiKeyIdentity(person)).toBe(false);
    expect(isApiKeyIdentity({ ...person, subject: 'apikey:0b0e6e43-8a5c-4d0e-9f1a-2b3c4d5e6f70' })).toBe(true);
    expect(isApiKeyIdentity(ANONYMOUS)).toBe(false);
  });

  it('records writes under the credential subject', () => {
    expect(actorOf(operator)).toBe(operator.subject ?? 'unknown');
    expect(actorOf(ANONYMOUS)).toBe('unknown');
  });
});
