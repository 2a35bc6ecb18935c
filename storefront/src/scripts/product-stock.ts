import { execute } from '../lib/api.ts';
import { rupiah } from '../lib/format.ts';
import { StorefrontProductStockDocument } from '../generated/operations.ts';

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
  const locale = document.documentElement.lang.startsWith('en') ? 'en-GB' : 'id-ID';
  const form = document.querySelector<HTMLFormElement>('form[data-add-to-cart]');
  const price = document.querySelector<HTMLElement>('[data-price]');
  if (price) price.textContent = rupiah(product.priceRupiah);
  if (!product.inStock) {
    line.textContent = line.dataset['outOfStock'] ?? '';
    form?.remove();
    return;
  }
  line.textContent = ((product.stock === 1 ? line.dataset['inStockOne'] : line.dataset['inStock']) ?? '').replace('{stock}', product.stock.toLocaleString(locale));
  if (form) {
    form.querySelector<HTMLInputElement>('input[type=number]')?.setAttribute('max', String(product.stock));
    form.dataset['addToCart'] = JSON.stringify({ ...JSON.parse(form.dataset['addToCart']!), stock: product.stock, priceRupiah: product.priceRupiah });
  }
}
