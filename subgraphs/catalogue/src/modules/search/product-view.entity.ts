import { defineEntity, p } from '@mikro-orm/core';

/**
 * One counted view: a hash of product, visitor and day, so a visitor counts once a day, and of
 * product, network and day, so a network counts at most a few visitors (server-kit counterKeys).
 * Nothing that leads back to the visitor is stored. A product's `viewCount` is the number of rows.
 */
const ProductViewSchema = defineEntity({
  name: 'ProductView',
  tableName: 'product_view',
  properties: {
    dedupeKey: p.string().length(64).primary(),
    networkKey: p.string().length(64).nullable().index(),
    productId: p.uuid().index(),
    at: p.datetime().onCreate(() => new Date()),
  },
});

export class ProductView extends ProductViewSchema.class {}
ProductViewSchema.setClass(ProductView);
