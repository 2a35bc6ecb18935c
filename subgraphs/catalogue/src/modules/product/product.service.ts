import { randomUUID } from 'node:crypto';
import {
  actorOf,
  badUserInput,
  notFound,
  parseId,
  parseInput,
  requirePesantrenManager,
  type EntityManager,
  type Identity,
  type Logger,
} from '@opop/server-kit';
import { Category } from '../category/category.entity.ts';
import type { CategoryDirectory } from '../category/category.directory.ts';
import { applyCuration, recordCreation } from '../curation/curation.ts';
import type { SellerRepository } from '../seller/seller.repository.ts';
import { Product } from './product.entity.ts';
import { createProductInput, CURATED_FIELD_NAMES, CURATED_FIELDS, updateProductInput } from './product.input.ts';
import { ProductRepository } from './product.repository.ts';

export interface ProductServiceDeps {
  em: EntityManager;
  identity: Identity;
  logger: Logger;
  categories: CategoryDirectory;
  products: ProductRepository;
  sellers: SellerRepository;
  /** When a new product is created, as its first curation step. */
  now: () => Date;
}

/** Loads a product the caller manages, for a write; the same errors whichever way it fails. */
export async function managedProduct(products: ProductRepository, identity: Identity, rawId: string): Promise<Product> {
  const product = await products.findOne({ id: parseId(rawId, 'id') });
  if (!product) throw notFound('Product');
  requirePesantrenManager(identity, product.seller.pesantrenId, 'You may only manage the products of your own pesantren');
  return product;
}

/**
 * Writes of products: one instance per request, acting as its caller. Each write is one flush,
 * so one transaction, in which the search-outbox subscriber records the product's index event.
 */
export class ProductService {
  readonly #deps: ProductServiceDeps;

  constructor(deps: ProductServiceDeps) {
    this.#deps = deps;
  }

  /** A new product of a seller of the caller's pesantren, as a draft with its first history entry. */
  async create(input: { sellerId: string }): Promise<Product> {
    const { em, identity, logger, sellers, now } = this.#deps;
    const sellerId = parseId(input.sellerId, 'input.sellerId');
    const data = parseInput(createProductInput, input, 'input');
    const seller = await sellers.findOne({ id: sellerId });
    if (!seller) throw badUserInput('is not a known seller', 'input.sellerId');
    requirePesantrenManager(identity, seller.pesantrenId, 'You may only add products for your own pesantren');
    const category = this.#knownCategory(data.category);
    const id = randomUUID();
    const at = now();
    const product = em.create(Product, {
      id,
      seller,
      category,
      slug: ProductRepository.slugFor(data.nameIndonesian, id),
      nameIndonesian: data.nameIndonesian,
      nameEnglish: data.nameEnglish ?? null,
      descriptionIndonesian: data.descriptionIndonesian,
      descriptionEnglish: data.descriptionEnglish ?? null,
      priceRupiah: data.priceRupiah,
      stock: data.stock,
      unit: data.unit,
      weightGrams: data.weightGrams,
      images: [],
      halalCertificateNumber: data.halalCertificateNumber ?? null,
      halalSelfDeclared: data.halalSelfDeclared,
      bpomNumber: data.bpomNumber ?? null,
      pirtNumber: data.pirtNumber ?? null,
      sniCertificateNumber: data.sniCertificateNumber ?? null,
      curationStatus: 'DRAFT',
      statusSince: at,
      isDemo: false,
      createdAt: at,
      updatedAt: at,
    });
    recordCreation(em, product, actorOf(identity), at);
    await em.flush();
    logger.info({ productId: product.id, sellerId, by: identity.subject }, 'product created');
    return product;
  }

  /** Changes the given fields; a featured product whose curated fields change goes back to review. */
  async update(rawId: string, input: unknown): Promise<Product> {
    const { em, identity, products, now } = this.#deps;
    const product = await managedProduct(products, identity, rawId);
    const data = parseInput(updateProductInput, input, 'input');
    // What differs from the product, not what was sent: a form sends every field, and saving a
    // featured product's new price with its name unchanged took its featuring away (found by a
    // new-user walkthrough).
    const category = data.category !== undefined ? this.#knownCategory(data.category) : undefined;
    const changedCurated = CURATED_FIELDS.filter((field) =>
      field === 'category' ? category !== undefined && category.id !== product.category.id : data[field] !== undefined && data[field] !== product[field],
    );
    if (category !== undefined) product.category = category;
    if (data.nameIndonesian !== undefined) product.nameIndonesian = data.nameIndonesian;
    if (data.nameEnglish !== undefined) product.nameEnglish = data.nameEnglish;
    if (data.descriptionIndonesian !== undefined) product.descriptionIndonesian = data.descriptionIndonesian;
    if (data.descriptionEnglish !== undefined) product.descriptionEnglish = data.descriptionEnglish;
    if (data.priceRupiah !== undefined) product.priceRupiah = data.priceRupiah;
    if (data.stock !== undefined) product.stock = data.stock;
    if (data.unit !== undefined) product.unit = data.unit;
    if (data.weightGrams !== undefined) product.weightGrams = data.weightGrams;
    if (data.halalCertificateNumber !== undefined) product.halalCertificateNumber = data.halalCertificateNumber;
    if (data.halalSelfDeclared !== undefined) product.halalSelfDeclared = data.halalSelfDeclared;
    if (data.bpomNumber !== undefined) product.bpomNumber = data.bpomNumber;
    if (data.pirtNumber !== undefined) product.pirtNumber = data.pirtNumber;
    if (data.sniCertificateNumber !== undefined) product.sniCertificateNumber = data.sniCertificateNumber;
    if (product.curationStatus === 'FEATURED' && changedCurated.length > 0) {
      applyCuration(em, product, 'reopen', actorOf(identity), `Diubah setelah kurasi: ${changedCurated.map((field) => CURATED_FIELD_NAMES[field]).join(', ')}.`, now());
    }
    await em.flush();
    return product;
  }

  #knownCategory(slug: string): Category {
    const category = this.#deps.categories.bySlug(slug);
    if (!category) throw badUserInput(`is not a known category (${slug})`, 'input.category');
    return this.#deps.em.getReference(Category, category.id);
  }
}
