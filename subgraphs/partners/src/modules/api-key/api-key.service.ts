import { actorOf, badUserInput, notFound, parseId, parseInput, type EntityManager, type Identity, type Logger } from '@opop/server-kit';
import type { PartnerRepository } from '../partner/partner.repository.ts';
import { knownPartner } from '../partner/partner.service.ts';
import { ApiKey, PARTNER_KIND_OF_ROLE } from './api-key.entity.ts';
import { createApiKeyInput, revocationReason } from './api-key.input.ts';
import type { ApiKeyRepository } from './api-key.repository.ts';
import { generateKey, matchesHash, prefixOf } from './api-key.secret.ts';

/**
 * `lastUsedAt` is written at most this often per key. The router asks for a key's holder when
 * it has not cached the answer, so writing on each lookup would put a write on the request path
 * for a date nobody needs to the second.
 */
const LAST_USED_GRANULARITY_MS = 60 * 60 * 1000;

export interface ApiKeyServiceDeps {
  em: EntityManager;
  identity: Identity;
  logger: Logger;
  apiKeys: ApiKeyRepository;
  partners: PartnerRepository;
}

/**
 * API keys' life: created (only the hash of the secret kept), looked up by the router, revoked.
 * One instance per request. Who may call each is declared in the SDL: programme admins manage
 * keys, and only the router's `service` identity may look one up (`@policy(["service"])` on
 * `apiKeyIdentity` and on `ApiKeyIdentity`, enforced by the kit before the resolver runs).
 */
export class ApiKeyService {
  readonly #deps: ApiKeyServiceDeps;

  constructor(deps: ApiKeyServiceDeps) {
    this.#deps = deps;
  }

  /** A new key for a partner whose Pentahelix role fits the key's; the secret is returned this once. */
  async create(input: unknown): Promise<{ apiKey: ApiKey; secret: string }> {
    const { em, identity, logger, apiKeys, partners } = this.#deps;
    const data = parseInput(createApiKeyInput, input, 'input');
    const partner = await knownPartner(partners, data.partnerSlug, 'input.partnerSlug');
    const kind = PARTNER_KIND_OF_ROLE[data.role];
    if (partner.role !== kind) {
      throw badUserInput(`a ${data.role} key must belong to a ${kind} partner, and ${partner.slug} is ${partner.role}`, 'input.role');
    }
    let generated = generateKey();
    // 32 random bits make a taken prefix very unlikely; the unique index turns the remaining chance into an error, not a shared prefix.
    while (await apiKeys.isPrefixTaken(generated.prefix)) generated = generateKey();
    const key = em.create(ApiKey, {
      partner,
      name: data.name,
      role: data.role,
      scopes: data.scopes,
      allowedOrigins: data.allowedOrigins,
      prefix: generated.prefix,
      secretHash: generated.secretHash,
      createdBy: actorOf(identity),
      revokedAt: null,
      revokedBy: null,
      revocationReason: null,
      lastUsedAt: null,
    });
    await em.flush();
    logger.info({ keyId: key.id, prefix: key.prefix, partner: partner.slug, role: key.role, by: key.createdBy }, 'API key created');
    return { apiKey: key, secret: generated.secret };
  }

  /** Revokes a key for good; revoking a revoked key changes nothing (its first revocation stays). */
  async revoke(rawId: string, reason: string): Promise<ApiKey> {
    const { em, identity, logger, apiKeys } = this.#deps;
    const id = parseId(rawId, 'id');
    const why = parseInput(revocationReason, reason, 'reason');
    const key = await apiKeys.findById(id);
    if (!key) throw notFound('API key');
    if (!key.revokedAt) {
      key.revokedAt = new Date();
      key.revokedBy = actorOf(identity);
      key.revocationReason = why;
      await em.flush();
      logger.info({ keyId: key.id, prefix: key.prefix, by: key.revokedBy }, 'API key revoked');
    }
    return key;
  }

  /** The key a secret is, if it is a live one whose partner still fits its role; null otherwise. */
  async identify(secret: string): Promise<ApiKey | null> {
    const { logger, apiKeys } = this.#deps;
    const prefix = prefixOf(secret);
    if (!prefix) return null;
    const key = await apiKeys.findByPrefix(prefix);
    if (!key || key.revokedAt || !matchesHash(secret, key.secretHash)) return null;
    // Checked at creation too; a partner whose Pentahelix role changed since loses the key's role with it.
    if (key.partner.role !== PARTNER_KIND_OF_ROLE[key.role]) {
      logger.warn({ keyId: key.id, partner: key.partner.slug }, 'API key refused: its partner no longer fits its role');
      return null;
    }
    await this.#touchLastUsed(key, new Date());
    return key;
  }

  async #touchLastUsed(key: ApiKey, now: Date): Promise<void> {
    if (key.lastUsedAt && now.getTime() - key.lastUsedAt.getTime() < LAST_USED_GRANULARITY_MS) return;
    // Conditional, so concurrent lookups of one key after the hour write it once, not once each.
    const stale = new Date(now.getTime() - LAST_USED_GRANULARITY_MS);
    await this.#deps.em.nativeUpdate(ApiKey, { id: key.id, $or: [{ lastUsedAt: null }, { lastUsedAt: { $lt: stale } }] }, { lastUsedAt: now });
  }
}
