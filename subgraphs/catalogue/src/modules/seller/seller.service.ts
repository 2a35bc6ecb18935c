import { randomUUID } from 'node:crypto';
import { badUserInput, notFound, parseId, parseInput, requirePesantrenManager, verifyPesantrenPlace, type EntityManager, type EntityReferences, type Identity, type Logger } from '@opop/server-kit';
import { Seller } from './seller.entity.ts';
import { sellerPaymentInput } from './payment.input.ts';
import { createSellerInput, updateSellerInput } from './seller.input.ts';
import { SellerRepository } from './seller.repository.ts';

export interface SellerServiceDeps {
  em: EntityManager;
  identity: Identity;
  logger: Logger;
  sellers: SellerRepository;
  /** The pesantren subgraph, asked which pesantren this is and where it lies; undefined only when catalogue runs alone. */
  pesantren: EntityReferences | undefined;
}

/** Writes of sellers: one instance per request, acting as its caller. */
export class SellerService {
  readonly #deps: SellerServiceDeps;

  constructor(deps: SellerServiceDeps) {
    this.#deps = deps;
  }

  /** A new seller of the caller's pesantren (any, for programme admins), in the pesantren's regency. */
  async create(input: unknown): Promise<Seller> {
    const { em, identity, logger, sellers, pesantren } = this.#deps;
    const data = parseInput(createSellerInput, input, 'input');
    requirePesantrenManager(identity, data.pesantrenId, 'An operator may only add sellers to their own pesantren');
    await verifyPesantrenPlace(pesantren, data.pesantrenId.toLowerCase(), data.regencyCode);
    // A pesantren lies in one regency: its sellers are found (and searched) there.
    const regencyCode = await sellers.regencyOfPesantren(data.pesantrenId.toLowerCase());
    if (regencyCode && regencyCode !== data.regencyCode) throw badUserInput(`must be the regency of the pesantren's other sellers (${regencyCode})`, 'input.regencyCode');
    const id = randomUUID();
    const seller = em.create(Seller, {
      id,
      slug: SellerRepository.slugFor(data.name, id),
      name: data.name,
      pillar: data.pillar,
      pesantrenId: data.pesantrenId,
      regencyCode: data.regencyCode,
      descriptionIndonesian: data.descriptionIndonesian,
      descriptionEnglish: data.descriptionEnglish ?? null,
      whatsapp: data.whatsapp ?? null,
      isDemo: false,
    });
    await em.flush();
    logger.info({ sellerId: id, pesantrenId: data.pesantrenId, by: identity.subject }, 'seller created');
    return seller;
  }

  /**
   * Edits a seller's name, pillar, descriptions or WhatsApp; operators of its pesantren only (any
   * seller, for programme admins). Through the unit of work, so the flush writes the outbox event
   * that reindexes its products and redraws its pages (the name is on each of them). Its address
   * (slug) stays: links to its page keep working.
   */
  async update(rawSellerId: string, input: unknown): Promise<Seller> {
    const { em, identity, logger } = this.#deps;
    const id = parseId(rawSellerId, 'id');
    const data = parseInput(updateSellerInput, input, 'input');
    const seller = await em.findOne(Seller, { id });
    if (!seller) throw notFound('Seller');
    requirePesantrenManager(identity, seller.pesantrenId, 'An operator may only edit their own pesantren\'s sellers');
    if (data.name !== undefined) seller.name = data.name;
    if (data.pillar !== undefined) seller.pillar = data.pillar;
    if (data.descriptionIndonesian !== undefined) seller.descriptionIndonesian = data.descriptionIndonesian;
    if (data.descriptionEnglish !== undefined) seller.descriptionEnglish = data.descriptionEnglish;
    if (data.whatsapp !== undefined) seller.whatsapp = data.whatsapp;
    await em.flush();
    logger.info({ sellerId: id, fields: Object.keys(data), by: identity.subject }, 'seller edited');
    return seller;
  }

  /** Sets (or clears) how the seller's buyers pay by transfer or QRIS; operators of its pesantren only. */
  async setPaymentDetails(rawSellerId: string, input: unknown): Promise<Seller> {
    const { em, identity, logger } = this.#deps;
    const id = parseId(rawSellerId, 'sellerId');
    const data = parseInput(sellerPaymentInput, input, 'input');
    const seller = await em.findOne(Seller, { id });
    if (!seller) throw notFound('Seller');
    requirePesantrenManager(identity, seller.pesantrenId, 'An operator may only set the payment details of their own pesantren\'s sellers');
    // A native update: nothing shoppers search or see on a page changes, so no outbox event (no reindex, no republish).
    await em.nativeUpdate(Seller, { id }, { ...data, updatedAt: new Date() });
    await em.refresh(seller);
    // Which details were set, not the details: account numbers stay out of the logs.
    logger.info({ sellerId: id, bank: data.bankAccountNumber !== null, qris: data.qrisPayload !== null, by: identity.subject }, 'seller payment details set');
    return seller;
  }
}
