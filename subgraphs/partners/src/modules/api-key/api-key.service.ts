import { LockMode } from '@mikro-orm/core';
import { actorOf, badUserInput, conflict, forbidden, isApiKeyIdentity, notFound, parseId, parseInput, requireOwnPartner, type EntityManager, type Identity, type Logger } from '@opop/server-kit';
import { Partner } from '../partner/partner.entity.ts';
import type { PartnerRepository } from '../partner/partner.repository.ts';
import { knownPartner } from '../partner/partner.service.ts';
import { ApiKey, PARTNER_KIND_OF_ROLE } from './api-key.entity.ts';
import { createApiKeyInput, revocationReason, ROLE_TO_GRAPHQL } from './api-key.input.ts';
import { MAX_API_KEYS_LISTED, type ApiKeyRepository } from './api-key.repository.ts';
import { generateKey, matchesHash, prefixOf } from './api-key.secret.ts';

/**
 * `lastUsedAt` is written at most this often per key. The router asks for a key's holder when
 * it has not cached the answer, so writing on each lookup would put a write on the request path
 * for a date nobody needs to the second.
 */
const LAST_USED_GRANULARITY_MS = 60 * 60 * 1000;

/** Active keys a partner may hold at once: every one of them fits in `Query.apiKeys` (MAX_API_KEYS_LISTED). */
export const MAX_ACTIVE_API_KEYS = MAX_API_KEYS_LISTED;

export const NOT_YOUR_KEYS = 'You may only manage the API keys of your own organisation';

/**
 * What a partner (not an admin) may put in a key of its own: its own role, and no scope its own
 * credential lacks, so a key never carries more than the person who made it. And a person makes
 * it: an API key cannot make or revoke keys, or a leaked key could outlive its revocation
 * through the keys it made.
 */
function requireWithinOwnCredential(identity: Identity, data: { role: ApiKey['role']; scopes: readonly string[] }): void {
  if (identity.role === 'programme_admin') return;
  if (isApiKeyIdentity(identity)) throw forbidden('An API key cannot create API keys: sign in to the console to manage them');
  if (data.role !== identity.role) {
    throw forbidden(`as a ${identity.role} you may create ${ROLE_TO_GRAPHQL[identity.role as ApiKey['role']] ?? 'no'} keys only`, 'input.role');
  }
  const beyond = data.scopes.filter((scope) => !identity.scopes.includes(scope));
  if (beyond.length > 0) {
    throw forbidden(`${beyond.join(', ')} ${beyond.length === 1 ? 'is' : 'are'} more than your own sign-in holds; a key you create carries only scopes you hold`, 'input.scopes');
  }
}

export interface ApiKeyServiceDeps {
  em: EntityManager;
  identity: Identity;
  logger: Logger;
  apiKeys: ApiKeyRepository;
  partners: PartnerRepository;
}

/**
 * API keys' life: created (only the hash of the secret kept), looked up by the router, revoked.
 * One instance per request. Who may call each is declared in the SDL: programme admins and
 * partners manage keys, and only the router's `service` identity may look one up
 * (`@policy(["service"])` on `apiKeyIdentity` and on `ApiKeyIdentity`, enforced by the kit before
 * the resolver runs). Which partner's keys a partner may manage, its own, is the kit's
 * requireOwnPartner.
 */
export class ApiKeyService {
  readonly #deps: ApiKeyServiceDeps;

  constructor(deps: ApiKeyServiceDeps) {
    this.#deps = deps;
  }

  /**
   * A new key for a partner whose Pentahelix role fits the key's; the secret is returned this
   * once. A partner makes keys for itself only, within its own credential; at most
   * MAX_ACTIVE_API_KEYS are active at once, counted under a lock on the partner so two at once
   * cannot both take the last place.
   */
  async create(input: unknown): Promise<{ apiKey: ApiKey; secret: string }> {
    const { em, identity, logger, apiKeys, partners } = this.#deps;
    const data = parseInput(createApiKeyInput, input, 'input');
    const partner = await knownPartner(partners, data.partnerSlug, 'input.partnerSlug');
    requireOwnPartner(identity, partner.id, NOT_YOUR_KEYS);
    requireWithinOwnCredential(identity, data);
    const kind = PARTNER_KIND_OF_ROLE[data.role];
    if (partner.role !== kind) {
      throw badUserInput(`a ${data.role} key must belong to a ${kind} partner, and ${partner.slug} is ${partner.role}`, 'input.role');
    }
    let generated = generateKey();
    // 32 random bits make a taken prefix very unlikely; the unique index turns the remaining chance into an error, not a shared prefix.
    while (await apiKeys.isPrefixTaken(generated.prefix)) generated = generateKey();
    const key = await em.transactional(async (tx) => {
      const locked = await tx.findOneOrFail(Partner, { id: partner.id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if ((await tx.count(ApiKey, { partner: partner.id, revokedAt: null })) >= MAX_ACTIVE_API_KEYS) {
        throw conflict(`${partner.slug} already has ${MAX_ACTIVE_API_KEYS} active API keys: revoke one it no longer uses first`, 'input.partnerSlug');
      }
      const created = tx.create(ApiKey, {
        partner: locked,
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
      await tx.flush();
      return created;
    });
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
    requireOwnPartner(identity, key.partner.id, NOT_YOUR_KEYS);
    if (identity.role !== 'programme_admin' && isApiKeyIdentity(identity)) throw forbidden('An API key cannot revoke API keys: sign in to the console to manage them');
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
