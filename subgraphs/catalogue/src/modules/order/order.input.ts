import { boundedText as text, indonesianMobile } from '@opop/identifiers';
import { z } from 'zod';
import { PAYMENT_METHODS } from './order.entity.ts';

/**
 * Caps against hoarding (an anonymous request once reserved the whole stock of four products):
 * a household or a small shop's restock fits, a buyer wanting more agrees it with the seller.
 */
export const MAX_ORDER_LINES = 20;
export const MAX_LINE_QUANTITY = 50;
export const MAX_ORDER_UNITS = 200;

const item = z.object({
  productId: z.uuid('must be a valid id').transform((id) => id.toLowerCase()),
  quantity: z
    .number()
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(MAX_LINE_QUANTITY, `must be at most ${MAX_LINE_QUANTITY}`),
  // What the shopper was shown; checked against the price the stock is reserved at (checkout.ts).
  expectedUnitPriceRupiah: z
    .number()
    .int('must be a whole number of rupiah')
    .min(1, 'must be at least 1')
    .max(2_000_000_000, 'must be at most 2000000000')
    .nullish()
    .transform((price) => price ?? null),
  // The unit that price was for, as shown: the same price for a smaller unit is a price change.
  expectedUnit: text(1, 30)
    .nullish()
    .transform((unit) => unit ?? null),
  // The weight shown with that price: the same price for less is a price change too.
  expectedWeightGrams: z
    .number()
    .int('must be a whole number of grams')
    .min(1, 'must be at least 1 gram')
    .max(1_000_000, 'must be at most 1,000 kg')
    .nullish()
    .transform((grams) => grams ?? null),
});

export const orderRequestInput = z.object({
  idempotencyKey: z.uuid('must be a UUID the client generates once per checkout attempt').transform((key) => key.toLowerCase()),
  items: z
    .array(item)
    .min(1, 'must list at least one product')
    .max(MAX_ORDER_LINES, `must list at most ${MAX_ORDER_LINES} products`)
    .refine((items) => items.reduce((sum, line) => sum + line.quantity, 0) <= MAX_ORDER_UNITS, `must come to at most ${MAX_ORDER_UNITS} units in all; for more, agree a larger order with the seller`)
    .superRefine((items, ctx) => {
      const seen = new Set<string>();
      items.forEach((line, index) => {
        if (seen.has(line.productId)) {
          ctx.addIssue({ code: 'custom', message: 'lists a product already in the order; change the quantity of that line instead', path: [index, 'productId'] });
        }
        seen.add(line.productId);
      });
    }),
  buyerName: text(2, 100),
  buyerPhone: indonesianMobile,
  deliveryAddress: text(10, 500),
  paymentMethod: z.enum(PAYMENT_METHODS),
  // An empty note is no note, so clearing the field in a form does not store "".
  note: text(0, 500)
    .nullish()
    .transform((note) => (note ? note : null)),
});
export type OrderRequestInput = z.infer<typeof orderRequestInput>;

export const cancelReason = text(3, 500);
