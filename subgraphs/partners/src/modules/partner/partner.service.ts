import { badUserInput, parseInput, verifyReferences, type EntityManager } from '@opop/server-kit';
import type { PartnersReferences } from '../../context.ts';
import { Engagement, EngagementPesantren, EngagementProduct, type Partner } from './partner.entity.ts';
import { createEngagementInput } from './partner.input.ts';
import type { PartnerRepository } from './partner.repository.ts';

/** A partner named by slug in an input, or the input's error. */
export async function knownPartner(partners: PartnerRepository, slug: string, field: string): Promise<Partner> {
  const partner = await partners.findBySlug(slug);
  if (!partner) throw badUserInput(`is not a known partner (${slug.slice(0, 80)})`, field);
  return partner;
}

/** Writes of engagements: one instance per request. Who may write is declared in the SDL. */
export class PartnerService {
  readonly #em: EntityManager;
  readonly #partners: PartnerRepository;
  readonly #references: PartnersReferences;

  constructor(em: EntityManager, partners: PartnerRepository, references: PartnersReferences) {
    this.#em = em;
    this.#partners = partners;
    this.#references = references;
  }

  /** An engagement with its pesantren and products, in one flush. */
  async createEngagement(input: unknown): Promise<Engagement> {
    const data = parseInput(createEngagementInput, input, 'input');
    const partner = await knownPartner(this.#partners, data.partnerSlug, 'input.partnerSlug');
    // Links to what other subgraphs own are checked with their owners: no engagement with nothing.
    await verifyReferences(this.#references.pesantren, 'Pesantren', data.pesantrenIds, 'input.pesantrenIds');
    await verifyReferences(this.#references.products, 'Product', data.productIds ?? [], 'input.productIds');
    const em = this.#em;
    const engagement = em.create(Engagement, {
      partner,
      aspect: data.aspect,
      titleIndonesian: data.titleIndonesian,
      titleEnglish: data.titleEnglish ?? null,
      startsOn: data.startsOn,
      endsOn: data.endsOn ?? null,
      outcomeIndonesian: data.outcomeIndonesian ?? null,
      outcomeEnglish: data.outcomeEnglish ?? null,
      isDemo: false,
    });
    for (const pesantrenId of new Set(data.pesantrenIds)) em.create(EngagementPesantren, { engagement, pesantrenId });
    for (const productId of new Set(data.productIds ?? [])) em.create(EngagementProduct, { engagement, productId });
    await em.flush();
    return engagement;
  }
}
