import { actorOf, badUserInput, notFound, parseId, parseInput } from '@opop/server-kit';
import type { PartnersContext } from '../../context.ts';
import type { ApiKeyIdentity, Resolvers, ResolversTypes } from '../../generated/graphql.ts';
import { Partner } from '../partner/partner.entity.ts';
import { ApiKey, PARTNER_KIND_OF_ROLE } from './api-key.entity.ts';
import { ROLE_TO_GRAPHQL, createApiKeyInput, revocationReason } from './api-key.input.ts';
import { generateKey, matchesHash, prefixOf } from './api-key.secret.ts';

/**
 * `lastUsedAt` is written at most this often per key. The router asks for a key's holder when
 * it has not cached the answer, so writing on each lookup would put a write on the request path
 * for a date nobody needs to the second.
 */
const LAST_USED_GRANULARITY_MS = 60 * 60 * 1000;


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

async function partnerBySlug(ctx: PartnersContext, slug: string, field: string): Promise<Partner> {
  const partner = await ctx.em.findOne(Partner, { slug });
  if (!partner) throw badUserInput(`is not a known partner (${slug.slice(0, 80)})`, field);
  return partner;
}

async function touchLastUsed(ctx: PartnersContext, key: ApiKey, now: Date): Promise<void> {
  if (key.lastUsedAt && now.getTime() - key.lastUsedAt.getTime() < LAST_USED_GRANULARITY_MS) return;
  // Conditional, so concurrent lookups of one key after the hour write it once, not once each.
  const stale = new Date(now.getTime() - LAST_USED_GRANULARITY_MS);
  await ctx.em.nativeUpdate(ApiKey, { id: key.id, $or: [{ lastUsedAt: null }, { lastUsedAt: { $lt: stale } }] }, { lastUsedAt: now });
}

export const apiKeyResolvers: Resolvers = {
  Query: {
    apiKeys: async (_parent, { partnerSlug, includeRevoked }, ctx) => {
      const partner = await partnerBySlug(ctx, partnerSlug, 'partnerSlug');
      const keys = await ctx.em.find(ApiKey, { partner, ...(includeRevoked ? {} : { revokedAt: null }) }, { orderBy: { createdAt: 'desc', id: 'asc' } });
      return keys.map(view);
    },

    apiKeyIdentity: async (_parent, { secret }, ctx): Promise<ApiKeyIdentity | null> => {
      const prefix = prefixOf(secret);
      if (!prefix) return null;
      const key = await ctx.em.findOne(ApiKey, { prefix }, { populate: ['partner'] });
      if (!key || key.revokedAt || !matchesHash(secret, key.secretHash)) return null;
      const partner = key.partner;
      // Checked at creation too; a partner whose Pentahelix role changed since loses the key's role with it.
      if (partner.role !== PARTNER_KIND_OF_ROLE[key.role]) {
        ctx.logger.warn({ keyId: key.id, partner: partner.slug }, 'API key refused: its partner no longer fits its role');
        return null;
      }
      await touchLastUsed(ctx, key, new Date());
      return { keyId: key.id, partnerId: partner.id, partnerSlug: partner.slug, role: key.role, scopes: [...key.scopes], allowedOrigins: [...key.allowedOrigins] };
    },
  },

  Mutation: {
    createApiKey: async (_parent, { input }, ctx) => {
      const data = parseInput(createApiKeyInput, input, 'input');
      const partner = await partnerBySlug(ctx, data.partnerSlug, 'input.partnerSlug');
      const kind = PARTNER_KIND_OF_ROLE[data.role];
      if (partner.role !== kind) {
        throw badUserInput(`a ${data.role} key must belong to a ${kind} partner, and ${partner.slug} is ${partner.role}`, 'input.role');
      }
      let generated = generateKey();
      // 32 random bits make a taken prefix very unlikely; the unique index turns the remaining chance into an error, not a shared prefix.
      while (await ctx.em.count(ApiKey, { prefix: generated.prefix })) generated = generateKey();
      const key = ctx.em.create(ApiKey, {
        partner,
        name: data.name,
        role: data.role,
        scopes: data.scopes,
        allowedOrigins: data.allowedOrigins,
        prefix: generated.prefix,
        secretHash: generated.secretHash,
        createdBy: actorOf(ctx.identity),
        revokedAt: null,
        revokedBy: null,
        revocationReason: null,
        lastUsedAt: null,
      });
      await ctx.em.flush();
      ctx.logger.info({ keyId: key.id, prefix: key.prefix, partner: partner.slug, role: key.role, by: key.createdBy }, 'API key created');
      return { apiKey: view(key), secret: generated.secret };
    },

    revokeApiKey: async (_parent, { id, reason }, ctx) => {
      const keyId = parseId(id, 'id');
      const why = parseInput(revocationReason, reason, 'reason');
      const key = await ctx.em.findOne(ApiKey, { id: keyId }, { populate: ['partner'] });
      if (!key) throw notFound('API key');
      if (!key.revokedAt) {
        key.revokedAt = new Date();
        key.revokedBy = actorOf(ctx.identity);
        key.revocationReason = why;
        await ctx.em.flush();
        ctx.logger.info({ keyId: key.id, prefix: key.prefix, by: key.revokedBy }, 'API key revoked');
      }
      return view(key);
    },
  },
};
