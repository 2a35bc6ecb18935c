import { LRUCache } from 'lru-cache';
import { issueAccessToken, type Identity } from '@opop/server-kit';
import type { Membership } from './membership.entity.ts';

/** What the router should let a person do while acting for one of their memberships. */
export function identityFor(userId: string, membership: Pick<Membership, 'kind' | 'organisationId' | 'scopes'>): Identity & { subject: string } {
  const subject = `user:${userId}`;
  const extra = membership.scopes;
  switch (membership.kind) {
    case 'PESANTREN_OPERATOR':
      return { role: 'pesantren_operator', subject, pesantrenId: membership.organisationId ?? null, scopes: [...extra] };
    case 'PROGRAMME_OFFICE':
      return { role: 'programme_admin', subject, pesantrenId: null, scopes: unique(['academics:aggregate', ...extra]) };
    case 'MEDIA_PARTNER':
      return { role: 'media_partner', subject, pesantrenId: null, partnerId: membership.organisationId, scopes: unique(['widgets:events', ...extra]) };
    case 'ACADEMIC_PARTNER':
      return { role: 'academic_partner', subject, pesantrenId: null, partnerId: membership.organisationId, scopes: unique(['academics:aggregate', ...extra]) };
  }
}

const unique = (scopes: string[]) => [...new Set(scopes)];

/** Tokens live a few minutes and never leave the console's server: the browser holds only its session cookie. */
export const ACCESS_TOKEN_MINUTES = 5;

/**
 * Turns a signed-in person's session into the access token the router already accepts (the same
 * kind `npm run token` signs), one per session and membership, reused for most of its life. The
 * session is checked on every console request first, so signing out or deactivation takes effect
 * at once for the console; a token copied out of the server would live at most five minutes.
 */
export class AccessTokens {
  private readonly cache = new LRUCache<string, string>({ max: 5_000, ttl: (ACCESS_TOKEN_MINUTES - 1) * 60_000 });

  private readonly secret: string;

  constructor(secret: string) {
    this.secret = secret;
  }

  async forSession(sessionId: string, userId: string, membership: Membership): Promise<string> {
    const key = `${sessionId}:${membership.id}:${membership.scopes.join(' ')}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const token = await issueAccessToken(identityFor(userId, membership), this.secret, `${ACCESS_TOKEN_MINUTES}m`);
    this.cache.set(key, token);
    return token;
  }

  forget(sessionId: string): void {
    for (const key of this.cache.keys()) if (key.startsWith(`${sessionId}:`)) this.cache.delete(key);
  }
}
