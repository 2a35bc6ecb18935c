import type { EntityManager } from '@opop/server-kit';
import type { Partner } from '../partner/partner.entity.ts';
import { ApiKey } from './api-key.entity.ts';

/** A partner's keys as `Query.apiKeys` lists them: the SDL's @listSize(assumedSize: 100), newest first. */
export const MAX_API_KEYS_LISTED = 100;

/** Reads of API keys; one instance per request. Each key comes with its partner loaded. */
export class ApiKeyRepository {
  readonly #em: EntityManager;

  constructor(em: EntityManager) {
    this.#em = em;
  }

  /** A partner's keys, newest first; revoked ones only when asked. */
  findOfPartner(partner: Partner, includeRevoked: boolean): Promise<ApiKey[]> {
    return this.#em.find(ApiKey, { partner, ...(includeRevoked ? {} : { revokedAt: null }) }, { orderBy: { createdAt: 'desc', id: 'asc' }, limit: MAX_API_KEYS_LISTED });
  }

  findById(id: string): Promise<ApiKey | null> {
    return this.#em.findOne(ApiKey, { id }, { populate: ['partner'] });
  }

  findByPrefix(prefix: string): Promise<ApiKey | null> {
    return this.#em.findOne(ApiKey, { prefix }, { populate: ['partner'] });
  }

  async isPrefixTaken(prefix: string): Promise<boolean> {
    return (await this.#em.count(ApiKey, { prefix })) > 0;
  }
}
