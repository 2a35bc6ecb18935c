import { badUserInput, brokenUniqueConstraint, conflict, forbidden, notFound, parseId, parseInput, requirePesantrenManager, type EntityManager, type Identity, type Logger } from '@opop/server-kit';
import type { RegencyDirectory } from '../regency/regency.directory.ts';
import { Regency } from '../regency/regency.entity.ts';
import { Pesantren } from './pesantren.entity.ts';
import { ADMIN_ONLY_FIELDS, registerPesantrenInput, updatePesantrenInput } from './pesantren.input.ts';
import type { PesantrenRepository } from './pesantren.repository.ts';

/** The unique indexes behind an NSPP and a slug (Migration20261123094817_initial). */
const NSPP_UNIQUE = 'pesantren_nspp_unique';
const SLUG_UNIQUE = 'pesantren_slug_unique';
/** Slugs tried when others of the same name are registered at the same moment. */
const SLUG_ATTEMPTS = 5;

const nsppTaken = (nspp: string) => conflict(`A pesantren with NSPP ${nspp} is already registered`, 'input.nspp');

export interface PesantrenServiceDeps {
  em: EntityManager;
  identity: Identity;
  logger: Logger;
  pesantren: PesantrenRepository;
  regencies: RegencyDirectory;
}

/**
 * Writes of pesantren: one instance per request, acting as its caller. Who may register or edit
 * is declared in the SDL; which pesantren an operator may edit, and which fields, is decided here.
 */
export class PesantrenService {
  readonly #deps: PesantrenServiceDeps;

  constructor(deps: PesantrenServiceDeps) {
    this.#deps = deps;
  }

  #knownRegency(code: string): Regency {
    if (!this.#deps.regencies.get(code)) throw badUserInput(`is not a known regency code (${code})`, 'input.regencyCode');
    return this.#deps.em.getReference(Regency, code);
  }

  async #assertNsppFree(nspp: string, exceptId?: string): Promise<void> {
    const holder = await this.#deps.pesantren.findOne({ nspp });
    if (holder && holder.id !== exceptId) throw nsppTaken(nspp);
  }

  /**
   * Flushes a write that sets an NSPP. The check before it answers the usual case; two writes of
   * one NSPP at the same moment both pass it, and the unique index refuses the second, which gets
   * the same CONFLICT as if it had come later.
   */
  async #flushNspp(em: EntityManager, nspp: string): Promise<void> {
    try {
      await em.flush();
    } catch (error) {
      if (brokenUniqueConstraint(error) === NSPP_UNIQUE) throw nsppTaken(nspp);
      throw error;
    }
  }

  async register(input: unknown): Promise<Pesantren> {
    const { em, identity, logger, pesantren: repository } = this.#deps;
    const data = parseInput(registerPesantrenInput, input, 'input');
    const regency = this.#knownRegency(data.regencyCode);
    await this.#assertNsppFree(data.nspp);
    // Each attempt in an EntityManager of its own, so a refused insert is not flushed again.
    for (let attempt = 1; ; attempt++) {
      const attemptEm = em.fork();
      const pesantren = attemptEm.create(Pesantren, {
        nspp: data.nspp,
        name: data.name,
        slug: await repository.availableSlug(data.name),
        regency: attemptEm.getReference(Regency, regency.code),
        address: data.address,
        pillars: data.pillars,
        cooperativeName: data.cooperative?.name ?? null,
        cooperativeLegalNumber: data.cooperative?.legalNumber ?? null,
        whatsapp: data.whatsapp ?? null,
        memberSince: data.memberSince,
        awards: [],
        isDemo: false,
      });
      try {
        await this.#flushNspp(attemptEm, data.nspp);
      } catch (error) {
        // A pesantren of the same name registered at the same moment took the slug: take the next.
        if (brokenUniqueConstraint(error) === SLUG_UNIQUE && attempt < SLUG_ATTEMPTS) continue;
        throw error;
      }
      logger.info({ pesantrenId: pesantren.id, by: identity.subject }, 'pesantren registered');
      return pesantren;
    }
  }

  async update(rawId: string, input: Record<string, unknown>): Promise<Pesantren> {
    const { em, identity, logger, pesantren: repository } = this.#deps;
    const id = parseId(rawId, 'id');
    if (identity.role === 'pesantren_operator') {
      requirePesantrenManager(identity, id, 'An operator may only edit their own pesantren');
      const adminOnly = ADMIN_ONLY_FIELDS.filter((field) => field in input);
      if (adminOnly.length > 0) throw forbidden(`Only programme admins may change ${adminOnly.join(', ')}`);
    }
    const data = parseInput(updatePesantrenInput, input, 'input');
    const pesantren = await repository.findOne({ id });
    if (!pesantren) throw notFound('Pesantren');
    if (data.nspp !== undefined && data.nspp !== pesantren.nspp) await this.#assertNsppFree(data.nspp, id);
    if (data.regencyCode !== undefined) pesantren.regency = this.#knownRegency(data.regencyCode);
    if (data.nspp !== undefined) pesantren.nspp = data.nspp;
    if (data.name !== undefined) pesantren.name = data.name;
    if (data.address !== undefined) pesantren.address = data.address;
    if (data.pillars !== undefined) pesantren.pillars = data.pillars;
    if (data.memberSince !== undefined) pesantren.memberSince = data.memberSince;
    if (data.awards !== undefined) pesantren.awards = data.awards;
    if (data.whatsapp !== undefined) pesantren.whatsapp = data.whatsapp;
    if (data.cooperative !== undefined) {
      pesantren.cooperativeName = data.cooperative?.name ?? null;
      pesantren.cooperativeLegalNumber = data.cooperative?.legalNumber ?? null;
    }
    if (data.nspp !== undefined) await this.#flushNspp(em, data.nspp);
    else await em.flush();
    logger.info({ pesantrenId: id, by: identity.subject, fields: Object.keys(data) }, 'pesantren updated');
    return pesantren;
  }
}
