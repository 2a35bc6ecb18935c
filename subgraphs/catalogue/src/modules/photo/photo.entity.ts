import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { Product } from '../product/product.entity.ts';
import type { VariantFormat } from './processing.ts';

/**
 * AWAITING_UPLOAD: an upload URL was handed out, no bytes yet. QUEUED: the upload passed its
 * checks and waits for the processing job. PROCESSING, READY (shown on the product), FAILED
 * (with a message; the person can remove it and try another photo).
 */
export const PHOTO_STATUSES = ['AWAITING_UPLOAD', 'QUEUED', 'PROCESSING', 'READY', 'FAILED'] as const;
export type PhotoStatus = (typeof PHOTO_STATUSES)[number];

export interface PhotoVariant {
  format: VariantFormat;
  width: number;
  height: number;
  key: string;
}

/** One photo of a product, from its upload to its served variants. */
const PhotoSchema = defineEntity({
  name: 'Photo',
  tableName: 'product_photo',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    product: () => p.manyToOne(Product).index(),
    /** Order among the product's photos; the first is the product's main photo. */
    position: p.integer(),
    altIndonesian: p.string().length(200),
    altEnglish: p.string().length(200).nullable(),
    status: p.enum(PHOTO_STATUSES).default('AWAITING_UPLOAD').index(),
    /** 0–100 while processing, for the console's progress bar. */
    progress: p.smallint().default(0),
    /** The bytes the uploader announced; the upload must not exceed them. */
    declaredBytes: p.integer(),
    /** SHA-256 of the original (with the pipeline version): the same photo is stored once. */
    contentHash: p.string().length(32).nullable().index(),
    width: p.integer().nullable(),
    height: p.integer().nullable(),
    color: p.string().length(7).nullable(),
    placeholder: p.text().nullable(),
    variants: p.json<PhotoVariant[]>().onCreate(() => []),
    /** Why processing failed, for the person who uploaded it (Indonesian / English). */
    failure: p.text().nullable(),
    /** Where the upload waits for processing; removed once processed. */
    originalKey: p.string().length(100).nullable(),
    uploadedBy: p.string().length(200),
    createdAt: p.datetime().onCreate(() => new Date()),
    uploadExpiresAt: p.datetime(),
    processedAt: p.datetime().nullable(),
  },
});

export class Photo extends PhotoSchema.class {}
PhotoSchema.setClass(Photo);

/**
 * A served file of a removed photo, waiting to be deleted from the store. The sweep deletes it
 * after a grace period (pages and caches still naming it are republished, and a photo processed
 * meanwhile from the same content reuses it) and only when no photo row has its content any more.
 */
const RemovedVariantSchema = defineEntity({
  name: 'RemovedVariant',
  tableName: 'removed_photo_variant',
  properties: {
    key: p.string().length(100).primary(),
    contentHash: p.string().length(32).index(),
    removedAt: p.datetime().index(),
  },
});

export class RemovedVariant extends RemovedVariantSchema.class {}
RemovedVariantSchema.setClass(RemovedVariant);
