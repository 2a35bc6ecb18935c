import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { CURATION_STATUSES, Product } from '../product/product.entity.ts';

/** One curation step of a product. Append-only: the history is evidence, so rows are never edited. */
const CurationEventSchema = defineEntity({
  name: 'CurationEvent',
  tableName: 'curation_event',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    product: () => p.manyToOne(Product).index(),
    fromStatus: p.enum(CURATION_STATUSES).nullable(),
    toStatus: p.enum(CURATION_STATUSES),
    note: p.text().nullable(),
    actor: p.string().length(120),
    at: p.datetime().onCreate(() => new Date()),
  },
});

export class CurationEvent extends CurationEventSchema.class {}
CurationEventSchema.setClass(CurationEvent);
