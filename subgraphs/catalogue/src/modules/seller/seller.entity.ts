import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';

export const PILLARS = ['PESANTRENPRENEUR', 'SANTRIPRENEUR', 'SOSIOPRENEUR'] as const;
export type Pillar = (typeof PILLARS)[number];

/**
 * A business selling on the platform. `pesantrenId` and `regencyCode` are keys of the pesantren
 * subgraph's entities: catalogue stores them and never reads that subgraph's tables.
 */
const SellerSchema = defineEntity({
  name: 'Seller',
  tableName: 'seller',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    slug: p.string().length(200).unique(),
    name: p.string().length(160),
    pillar: p.enum(PILLARS).index(),
    pesantrenId: p.uuid().index(),
    regencyCode: p.string().length(4).index(),
    descriptionIndonesian: p.text(),
    descriptionEnglish: p.text().nullable(),
    whatsapp: p.string().length(15).nullable(),
    /** Where buyers who chose BANK_TRANSFER pay: set together or not at all (payment.input.ts). */
    bankName: p.string().length(60).nullable(),
    bankAccountNumber: p.string().length(20).nullable(),
    bankAccountHolder: p.string().length(100).nullable(),
    /** The seller's QRIS code as its text (EMVCo merchant-presented payload), for buyers who chose QRIS. */
    qrisPayload: p.string().length(512).nullable(),
    isDemo: p.boolean().default(false),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});

export class Seller extends SellerSchema.class {}
SellerSchema.setClass(Seller);
