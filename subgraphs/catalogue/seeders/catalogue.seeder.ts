import { randomUUID } from 'node:crypto';
import { generateWorld, type DemoWorld } from '@opop/demo-data';
import type { Database, EntityManager, Logger } from '@opop/server-kit';
import { Category } from '../src/modules/category/category.entity.ts';
import { CurationEvent } from '../src/modules/curation/curation-event.entity.ts';
import { OrderCheckout, OrderLine, OrderRequest } from '../src/modules/order/order.entity.ts';
import { Photo } from '../src/modules/photo/photo.entity.ts';
import { Product } from '../src/modules/product/product.entity.ts';
import { SearchIndexCursor, SearchOutboxEvent } from '../src/modules/search/outbox.entity.ts';
import { ProductView } from '../src/modules/search/product-view.entity.ts';
import { Seller } from '../src/modules/seller/seller.entity.ts';

const BATCH = 1_000;

async function insertInBatches<T>(items: readonly T[], insert: (batch: T[]) => Promise<unknown>): Promise<void> {
  for (let start = 0; start < items.length; start += BATCH) await insert(items.slice(start, start + BATCH));
}

/**
 * Replaces sellers, products, their curation history and any orders with the generated world's,
 * in one transaction: a failed load leaves the previous data in place. Categories come from the
 * migrations and stay.
 */
export async function loadCatalogue(em: EntityManager, world: DemoWorld): Promise<Record<string, number>> {
  const categoryIds = new Map((await em.find(Category, {})).map((category) => [category.slug, category.id]));
  const unknown = world.products.find((product) => !categoryIds.has(product.categorySlug));
  if (unknown) throw new Error(`demo product ${unknown.slug} names category ${unknown.categorySlug}, which the migrations do not create`);

  let events = 0;
  await em.transactional(async (tx) => {
    // The search index is rebuilt from these rows when the catalogue next starts: forget the old outbox and cursors.
    await tx.nativeDelete(SearchOutboxEvent, {});
    await tx.nativeDelete(SearchIndexCursor, {});
    await tx.nativeDelete(ProductView, {});
    // Orders point at the products and sellers being replaced, so they go with them.
    await tx.nativeDelete(OrderLine, {});
    await tx.nativeDelete(OrderRequest, {});
    await tx.nativeDelete(OrderCheckout, {});
    await tx.nativeDelete(CurationEvent, {});
    // Photos go with their products; their files stay in the store (content-keyed, shared, harmless).
    await tx.nativeDelete(Photo, {});
    await tx.nativeDelete(Product, {});
    await tx.nativeDelete(Seller, {});
    await insertInBatches(world.sellers, (batch) =>
      tx.insertMany(
        Seller,
        batch.map((seller) => ({
          id: seller.id,
          slug: seller.slug,
          name: seller.name,
          pillar: seller.pillar,
          pesantrenId: seller.pesantrenId,
          regencyCode: seller.regencyCode,
          descriptionIndonesian: seller.descriptionId,
          descriptionEnglish: seller.descriptionEn,
          whatsapp: seller.whatsapp,
          isDemo: true,
          createdAt: seller.createdAt,
          updatedAt: seller.createdAt,
        })),
      ),
    );
    await insertInBatches(world.products, async (batch) => {
      await tx.insertMany(
        Product,
        batch.map((product) => ({
          id: product.id,
          slug: product.slug,
          seller: product.sellerId,
          category: categoryIds.get(product.categorySlug)!,
          nameIndonesian: product.nameId,
          nameEnglish: product.nameEn,
          descriptionIndonesian: product.descriptionId,
          descriptionEnglish: product.descriptionEn,
          priceRupiah: product.priceRupiah,
          stock: product.stock,
          unit: product.unit,
          weightGrams: product.weightGrams,
          images: [],
          halalCertificateNumber: product.halalCertificateNumber,
          halalSelfDeclared: product.halalSelfDeclared,
          bpomNumber: product.bpomNumber,
          pirtNumber: product.pirtNumber,
          sniCertificateNumber: product.sniCertificateNumber,
          curationStatus: product.status,
          // The time of its newest curation event below, as applyCuration keeps it.
          statusSince: product.history.at(-1)?.at ?? product.createdAt,
          viewCount: product.viewCount,
          isDemo: true,
          createdAt: product.createdAt,
          updatedAt: product.updatedAt,
        })),
      );
      const history = batch.flatMap((product) => [
        { id: randomUUID(), product: product.id, fromStatus: null, toStatus: 'DRAFT' as const, note: null, actor: product.history[0]?.actor ?? 'demo-operator', at: product.createdAt },
        ...product.history.map((event) => ({ id: randomUUID(), product: product.id, ...event })),
      ]);
      events += history.length;
      await tx.insertMany(CurationEvent, history);
    });
  });
  return { sellers: world.sellers.length, products: world.products.length, curationEvents: events };
}

/** First run of `npm start`: an empty catalogue gets the demo data set. */
export async function seedDemoDataIfEmpty(database: Database, _logger: Logger): Promise<Record<string, number> | undefined> {
  const em = database.fork();
  if ((await em.count(Seller, {})) > 0) return undefined;
  return loadCatalogue(em, generateWorld('demo'));
}
