import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { Category } from '../category/category.entity.ts';
import { Seller } from '../seller/seller.entity.ts';

export const CURATION_STATUSES = ['DRAFT', 'SUBMITTED', 'IN_REVIEW', 'NEEDS_REVISION', 'FEATURED'] as const;
export type CurationStatus = (typeof CURATION_STATUSES)[number];

/** Statuses in which shoppers see a product: it has been submitted and is not sent back. */
export const LISTED_STATUSES: readonly CurationStatus[] = ['SUBMITTED', 'IN_REVIEW', 'FEATURED'];

export const isListed = (product: Pick<Product, 'curationStatus'>) => LISTED_STATUSES.includes(product.curationStatus);

/**
 * The product's published photos, main photo first: copied from its READY photos whenever they
 * change, so a product page reads one row. Variants hold store keys, not URLs, so moving the
 * photos to another host changes no row. `url` is set only on photos linked by URL (older data).
 */
export interface StoredImage {
  photoId?: string;
  url?: string;
  alt: { indonesian: string; english: string | null };
  width?: number;
  height?: number;
  color?: string;
  placeholder?: string;
  variants?: { format: 'avif' | 'webp' | 'jpeg'; width: number; height: number; key: string }[];
}

const ProductSchema = defineEntity({
  name: 'Product',
  tableName: 'product',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    slug: p.string().length(200).unique(),
    seller: () => p.manyToOne(Seller).index(),
    category: () => p.manyToOne(Category).index(),
    nameIndonesian: p.string().length(160),
    nameEnglish: p.string().length(160).nullable(),
    descriptionIndonesian: p.text(),
    descriptionEnglish: p.text().nullable(),
    priceRupiah: p.integer().index(),
    stock: p.integer(),
    unit: p.string().length(30),
    weightGrams: p.integer(),
    images: p.json<StoredImage[]>().onCreate(() => []),
    halalCertificateNumber: p.string().length(19).nullable(),
    halalSelfDeclared: p.boolean().default(false),
    bpomNumber: p.string().length(14).nullable(),
    pirtNumber: p.string().length(15).nullable(),
    sniCertificateNumber: p.string().length(64).nullable(),
    curationStatus: p.enum(CURATION_STATUSES).default('DRAFT').index(),
    /**
     * When the current curation status began: the time of the product's newest curation event,
     * written in the same flush as that event (applyCuration, recordCreation), so the curation
     * queue can filter and sort by waiting time without reading the history.
     */
    statusSince: p.datetime().onCreate(() => new Date()).index(),
    /** Distinct visitors a day on the product's page; what "popular" sorts by. */
    viewCount: p.integer().default(0),
    isDemo: p.boolean().default(false),
    createdAt: p.datetime().onCreate(() => new Date()).index(),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});

export class Product extends ProductSchema.class {}
ProductSchema.setClass(Product);

/**
 * A product as the hot read paths answer it (server-kit's `readRecords`): its columns, with the
 * category as a reference by id and the seller by id, with its pesantren when the read joined it.
 * What the Product type's resolvers read; an entity is one too.
 */
export type ProductRecord = Omit<Product, 'seller' | 'category'> & { seller: Pick<Seller, 'id'> & Partial<Pick<Seller, 'pesantrenId'>>; category: Pick<Category, 'id'> };
