import { defineEntity, p } from '@mikro-orm/core';

/**
 * One counted view: a hash of product, visitor and day, so a visitor counts once a day and the
 * visitor's own id is never stored. A product's `viewCount` is the number of these rows.
 */
const ProductViewSchema = defineEntity({
  name: 'ProductView',
  tableName: 'product_view',
  properties: {
    dedupeKey: p.string().length(64).primary(),
    productId: p.uuid().index(),
    at: p.datetime().onCreate(() => new Date()),
  },
});

export class ProductView extends ProductViewSchema.class {}
ProductViewSchema.setClass(ProductView);
