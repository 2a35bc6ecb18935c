import { execute } from '../lib/api.ts';
import { rupiah, unitLabel, weight } from '../lib/format.ts';
import { MAX_LINE_QUANTITY } from '../lib/order-limits.ts';
import { StorefrontProductStockDocument } from '../generated/operations.ts';
import { withoutEnglishUnit } from './cart-store.ts';

/**
 * The page was built earlier; the stock is read live, so a shopper does not add what has sold
 * out since. When the API cannot be reached the built figure stays, and the order request checks
 * the real stock anyway.
 */
export async function refreshStock(): Promise<void> {
  const line = document.querySelector<HTMLElement>('[data-stock]');
  if (!line) return;
  let product;
  try {
    ({ product } = await execute('/graphql', StorefrontProductStockDocument, { slug: line.dataset['stock']! }));
  } catch {
    return;
  }
  if (!product) return;
  const locale = document.documentElement.lang.startsWith('en') ? 'en' : 'id';
  // The price with the unit it is for now: a seller may have changed either since the page was built.
  const price = document.querySelector<HTMLElement>('[data-price]');
  if (price) price.textContent = rupiah(product.priceRupiah);
  const perUnit = document.querySelector<HTMLElement>('[data-per-unit]');
  if (perUnit) perUnit.textContent = (perUnit.dataset['perUnit'] ?? '').replace('{unit}', unitLabel(product, locale));
  // And its weight: the same price for a lighter pack is a different price.
  const weighs = document.querySelector<HTMLElement>('[data-weight]');
  if (weighs) weighs.textContent = weight(product.weightGrams, locale);
  line.textContent = product.inStock
    ? (line.dataset['inStock'] ?? '').replace('{stock}', product.stock.toLocaleString(locale === 'en' ? 'en-GB' : 'id-ID')).replace('{unit}', unitLabel(product, locale, product.stock))
    : (line.dataset['outOfStock'] ?? '');
  // The form stays where it is, enabled or not, so nothing under it moves when the live stock
  // differs from the built page.
  const form = document.querySelector<HTMLFormElement>('form[data-add-to-cart]');
  if (!form) return;
  const quantity = form.querySelector<HTMLInputElement>('input[type=number]');
  const button = form.querySelector<HTMLButtonElement>('button[type=submit]');
  if (quantity) {
    quantity.disabled = !product.inStock;
    if (product.inStock) quantity.max = String(Math.min(product.stock, MAX_LINE_QUANTITY));
  }
  if (button) {
    button.disabled = !product.inStock;
    button.toggleAttribute('data-sold-out', !product.inStock);
  }
  form.dataset['addToCart'] = JSON.stringify({ ...withoutEnglishUnit(JSON.parse(form.dataset['addToCart']!) as { unitEnglish?: string }), stock: product.stock, priceRupiah: product.priceRupiah, unit: product.unit, weightGrams: product.weightGrams, ...(product.unitName.english ? { unitEnglish: product.unitName.english } : {}) });
}
