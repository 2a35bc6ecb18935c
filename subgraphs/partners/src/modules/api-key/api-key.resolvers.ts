import { requireOwnPartner } from '@opop/server-kit';
import type { ApiKeyIdentity, Resolvers, ResolversTypes } from '../../generated/graphql.ts';
import { knownPartner } from '../partner/partner.service.ts';
import type { ApiKey } from './api-key.entity.ts';
import { ROLE_TO_GRAPHQL } from './api-key.input.ts';
import { NOT_YOUR_KEYS } from './api-key.service.ts';

/**
 * What GraphQL may see of a key: listed field by field, so the hash of the secret never leaves
 * this module however the entity grows. The partner must be loaded (it is, by every caller).
 */
function view(key: ApiKey): ResolversTypes['ApiKey'] {
  return {
    id: key.id,
    partner: key.partner,
    name: key.name,
    role: ROLE_TO_GRAPHQL[key.role],
    scopes: [...key.scopes],
    allowedOrigins: [...key.allowedOrigins],
    prefix: key.prefix,
    createdAt: key.createdAt,
    createdBy: key.createdBy,
    revokedAt: key.revokedAt ?? null,
    revokedBy: key.revokedBy ?? null,
    revocationReason: key.revocationReason ?? null,
    lastUsedAt: key.lastUsedAt ?? null,
  };
}

export const apiKeyResolvers: Resolvers = {
  Query: {
    apiKeys: async (_parent, { partnerSlug, includeRevoked }, { identity, partners, apiKeys }) => {
      const partner = await knownPartner(partners, partnerSlug, 'partnerSlug');
      requireOwnPartner(identity, partner.id, NOT_YOUR_KEYS);
      return (await apiKeys.findOfPartner(partner, includeRevoked)).map(view);
    },
    apiKeyIdentity: async (_parent, { secret }, { apiKeyService }): Promise<ApiKeyIdentity | null> => {
      const key = await apiKeyService.identify(secret);
      return key && { keyId: key.id, partnerId: key.partner.id, partnerSlug: key.partner.slug, role: key.role, scopes: [...key.scopes], allowedOrigins: [...key.allowedOrigins] };
    },
  },

  Mutation: {
    createApiKey: async (_parent, { input }, { apiKeyService }) => {
      const { apiKey, secret } = await apiKeyService.create(input);
      return { apiKey: view(apiKey), secret };
    },
    revokeApiKey: async (_parent, { id, reason }, { apiKeyService }) => view(await apiKeyService.revoke(id, reason)),
  },
};
