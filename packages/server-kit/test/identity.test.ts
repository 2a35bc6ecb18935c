import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  ANONYMOUS,
  bearerToken,
  issueAccessToken,
  requireRole,
  signForwardedIdentity,
  verifyAccessToken,
  verifyForwardedIdentity,
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

  it('asks anonymous callers to sign in and tells others they are forbidden', () => {
    expect(() => requireRole(ANONYMOUS, ['programme_admin'], 'feature products')).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }) }));
    expect(() => requireRole(operator, ['programme_admin'], 'feature products')).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'FORBIDDEN' }) }));
    expect(requireRole(operator, ['pesantren_operator'], 'edit').pesantrenId).toBe(operator.pesantrenId);
  });

  it('refuses one field without an HTTP status, so the router keeps the rest of the subgraph answer', () => {
    for (const caller of [ANONYMOUS, operator]) {
      try {
        requireRole(caller, ['programme_admin'], 'feature products');
        expect.unreachable();
      } catch (error) {
        expect((error as { extensions: Record<string, unknown> }).extensions['http']).toBeUndefined();
      }
    }
  });
});
