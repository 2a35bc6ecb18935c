import { randomBytes } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import { actorOf, conflict, forbidden, isApiKeyIdentity, notFound, parseId, parseInput, requireOwnPartner, type EntityManager, type Identity, type Logger } from '@opop/server-kit';
import { OutletKey } from './outlet-key.entity.ts';
import { outletKeyLabel } from './outlet-key.input.ts';
import { Outlet } from './outlet.entity.ts';
import type { OutletRepository } from './outlet.repository.ts';

/** Active keys an outlet may have at once: one per site embedding its widgets is a handful. */
export const MAX_ACTIVE_OUTLET_KEYS = 20;

export const NOT_YOUR_OUTLET = 'You may only manage your own outlet';

/** `opop_pk_` and 24 hex characters (96 random bits): the shape widget events accept (widget.input.ts). */
export const generateOutletKey = (): string => `opop_pk_${randomBytes(12).toString('hex')}`;

export interface OutletKeyServiceDeps {
  em: EntityManager;
  identity: Identity;
  logger: Logger;
  outlets: OutletRepository;
}

/** People manage widget keys, as they do API keys: a media partner's API key may read them, not make or revoke them. */
function requirePerson(identity: Identity, what: string): void {
  if (isApiKeyIdentity(identity)) throw forbidden(`An API key cannot ${what} widget keys: sign in to the console to manage them`);
}

/**
 * An outlet's widget keys: created (one per site) and revoked, by programme admins or the
 * outlet's own media partner (the kit's requireOwnPartner; the roles are the SDL's), signed in
 * rather than through an API key. Both run under a lock on the outlet, so two revocations at
 * once cannot leave it without a key, nor two creations take the last place.
 */
export class OutletKeyService {
  readonly #deps: OutletKeyServiceDeps;

  constructor(deps: OutletKeyServiceDeps) {
    this.#deps = deps;
  }

  async create(outletSlug: string, label: string): Promise<OutletKey> {
    const { em, identity, logger, outlets } = this.#deps;
    const outlet = await outlets.known(outletSlug, 'outletSlug');
    requireOwnPartner(identity, outlet.partnerId, NOT_YOUR_OUTLET);
    requirePerson(identity, 'create');
    const text = parseInput(outletKeyLabel, label, 'label');
    const key = await em.transactional(async (tx) => {
      const locked = await tx.findOneOrFail(Outlet, { id: outlet.id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if ((await tx.count(OutletKey, { outlet: locked, revokedAt: null })) >= MAX_ACTIVE_OUTLET_KEYS) {
        throw conflict(`${outlet.slug} already has ${MAX_ACTIVE_OUTLET_KEYS} active widget keys: revoke one no site uses first`, 'outletSlug');
      }
      const created = tx.create(OutletKey, { outlet: locked, key: generateOutletKey(), label: text, createdBy: actorOf(identity), revokedAt: null, revokedBy: null });
      await tx.flush();
      return created;
    });
    logger.info({ outlet: outlet.slug, keyId: key.id, by: key.createdBy }, 'outlet key created');
    return key;
  }

  /** Revokes a key for good, unless it is the outlet's last active one; revoking a revoked key changes nothing. */
  async revoke(rawId: string): Promise<OutletKey> {
    const { em, identity, logger, outlets } = this.#deps;
    const id = parseId(rawId, 'id');
    const found = await outlets.findKeyById(id);
    if (!found) throw notFound('Outlet key');
    requireOwnPartner(identity, found.outlet.partnerId, NOT_YOUR_OUTLET);
    requirePerson(identity, 'revoke');
    if (found.revokedAt) return found;
    const revoked = await em.transactional(async (tx) => {
      await tx.findOneOrFail(Outlet, { id: found.outlet.id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      const key = await tx.findOneOrFail(OutletKey, { id }, { refresh: true });
      if (key.revokedAt) return key;
      if ((await tx.count(OutletKey, { outlet: found.outlet.id, revokedAt: null })) <= 1) {
        throw conflict(`This is the last active widget key of ${found.outlet.slug}: create another one first, or its embeds would stop counting`, 'id');
      }
      key.revokedAt = new Date();
      key.revokedBy = actorOf(identity);
      await tx.flush();
      return key;
    });
    logger.info({ outlet: found.outlet.slug, keyId: id, by: revoked.revokedBy }, 'outlet key revoked');
    return revoked;
  }
}
