import { badUserInput, conflict, forbidden, notFound, parseId, parseInput, requirePesantrenManager, type EntityManager, type Identity, type Logger } from '@opop/server-kit';
import type { RegencyDirectory } from '../regency/regency.directory.ts';
import { Regency } from '../regency/regency.entity.ts';
import { Pesantren } from './pesantren.entity.ts';
import { ADMIN_ONLY_FIELDS, registerPesantrenInput, updatePesantrenInput } from './pesantren.input.ts';
import type { PesantrenRepository } from './pesantren.repository.ts';

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
    if (holder && holder.id !== exceptId) throw conflict(`A pesantren with NSPP ${nspp} is already registered`, 'input.nspp');
  }

  async register(input: unknown): Promise<Pesantren> {
    const { em, identity, logger, pesantren: repository } = this.#deps;
    const data = parseInput(registerPesantrenInput, input, 'input');
    const regency = this.#knownRegency(data.regencyCode);
    await this.#assertNsppFree(data.nspp);
    const pesantren = em.create(Pesantren, {
      nspp: data.nspp,
      name: data.name,
      slug: await repository.availableSlug(data.name),
      regency,
      address: data.address,
      pillars: data.pillars,
      cooperativeName: data.cooperative?.name ?? null,
      cooperativeLegalNumber: data.cooperative?.legalNumber ?? null,
      whatsapp: data.whatsapp ?? null,
      memberSince: data.memberSince,
      awards: [],
      isDemo: false,
    });
    await em.flush();
    logger.info({ pesantrenId: pesantren.id, by: identity.subject }, 'pesantren registered');
    return pesantren;
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
    await em.flush();
    logger.info({ pesantrenId: id, by: identity.subject, fields: Object.keys(data) }, 'pesantren updated');
    return pesantren;
  }
}
