import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  ANONYMOUS,
  bearerToken,
  issueAccessToken,
  requirePesantrenManager,
  pesantrenInScope,
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

  it('records writes under the credential subject', () => {
    expect(actorOf(operator)).toBe(operator.subject ?? 'unknown');
    expect(actorOf(ANONYMOUS)).toBe('unknown');
  });
});
