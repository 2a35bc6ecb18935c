import { boundedText } from '@opop/identifiers';
import { z } from 'zod';
import { API_KEY_SCOPES, SCOPES_BY_ROLE, type ApiKeyRole } from './api-key.entity.ts';

/** GraphQL's enum values for the roles, and back: the database and identities use the role names. */
export const ROLE_FROM_GRAPHQL = { MEDIA_PARTNER: 'media_partner', ACADEMIC_PARTNER: 'academic_partner' } as const satisfies Record<string, ApiKeyRole>;
export const ROLE_TO_GRAPHQL = { media_partner: 'MEDIA_PARTNER', academic_partner: 'ACADEMIC_PARTNER' } as const satisfies Record<ApiKeyRole, keyof typeof ROLE_FROM_GRAPHQL>;

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
/** A DNS name (already in punycode, as URL gives it) or a bracketed IPv6 address; URL lets `*` through. */
const HOST = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])$/;

/**
 * An origin exactly as browsers send it in the `Origin` header, since the router compares the
 * two as strings: scheme, host and a non-default port, nothing else. HTTPS only, except on this
 * machine for trying widgets locally. A near miss (capitals, a trailing slash, a path) is refused
 * with the form to write instead, rather than silently normalised into something else.
 */
export const origin = z.string().max(255, 'must be at most 255 characters').superRefine((value, ctx) => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be an origin like https://www.jtv.co.id' });
    return;
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname))) {
    ctx.addIssue({ code: 'custom', message: 'must use https (http only for localhost)' });
  } else if (!HOST.test(url.hostname)) {
    ctx.addIssue({ code: 'custom', message: 'must name one host: no wildcards' });
  } else if (url.origin !== value) {
    ctx.addIssue({ code: 'custom', message: `must be the bare origin, exactly as browsers send it: ${url.origin}` });
  }
});

export const createApiKeyInput = z
  .object({
    partnerSlug: boundedText(1, 80),
    name: boundedText(2, 80),
    role: z.enum(['MEDIA_PARTNER', 'ACADEMIC_PARTNER']).transform((role) => ROLE_FROM_GRAPHQL[role]),
    scopes: z.array(z.enum(API_KEY_SCOPES, { error: `must be one of ${API_KEY_SCOPES.join(', ')}` })).max(10, 'must list at most 10 scopes'),
    allowedOrigins: z.array(origin).max(20, 'must list at most 20 origins'),
  })
  .superRefine((input, ctx) => {
    const allowed = SCOPES_BY_ROLE[input.role];
    input.scopes.forEach((scope, index) => {
      if (!allowed.includes(scope)) {
        ctx.addIssue({
          code: 'custom',
          path: ['scopes', index],
          message: `is not allowed for a ${input.role} key (allowed: ${allowed.join(', ') || 'none'})`,
        });
      }
    });
  })
  .transform((input) => ({ ...input, scopes: [...new Set(input.scopes)], allowedOrigins: [...new Set(input.allowedOrigins)] }));

export const revocationReason = boundedText(3, 500);
