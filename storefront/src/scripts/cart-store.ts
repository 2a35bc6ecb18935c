/**
 * The cart lives in the shopper's browser (localStorage), like a paper shopping list: nothing is
 * sent until they ask for an order. Kept tiny because every page loads it for the cart count.
 */
import { MAX_LINE_QUANTITY } from '../lib/order-limits.ts';
import type { IslandPhoto } from './picture.ts';

export interface CartItem {
  id: string;
  slug: string;
  name: { indonesian: string; english: string | null };
  priceRupiah: number;
  unit: string;
  /** The unit's English, when the catalogue knows it. */
  unitEnglish?: string;
  /** The weight of one unit as shown with the price; lines added before the cart kept it have none. */
  weightGrams?: number;
  /** Stock when the item was added; the order request checks the real stock. */
  stock: number;
  seller: string;
  quantity: number;
  /** The main photo at its narrowest width; items added before photos (or without one) have none. */
  image?: IslandPhoto;
}

const KEY = 'opop-cart-v1';

/** A line without its unit's English: a unit read anew brings its own English, or none. */
export function withoutEnglishUnit<T extends { unitEnglish?: string }>(item: T): T {
  const copy = { ...item };
  delete copy.unitEnglish;
  return copy;
}

export function readCart(): CartItem[] {
  try {
    const stored = JSON.parse(localStorage.getItem(KEY) ?? '[]') as unknown;
    return Array.isArray(stored) ? (stored as CartItem[]).filter((item) => item && typeof item.id === 'string' && item.quantity > 0) : [];
  } catch {
    return [];
  }
}

export function writeCart(items: readonly CartItem[]): void {
  localStorage.setItem(KEY, JSON.stringify(items));
  showCartCount();
}


/** What one cart line may hold: the stock when it was added, and never more than an order may ask for. */
export const lineLimit = (item: Pick<CartItem, 'stock'>) => Math.min(Math.max(item.stock, 1), MAX_LINE_QUANTITY);

export function addToCart(item: Omit<CartItem, 'quantity'>, quantity: number): void {
  const items = readCart();
  const existing = items.find((entry) => entry.id === item.id);
  if (existing) existing.quantity = Math.min(existing.quantity + quantity, lineLimit(item));
  else items.push({ ...item, quantity: Math.min(quantity, lineLimit(item)) });
  writeCart(items);
}

export function showCartCount(): void {
  const count = readCart().reduce((sum, item) => sum + item.quantity, 0);
  for (const element of document.querySelectorAll<HTMLElement>('[data-cart-count]')) element.textContent = count > 0 ? String(count) : '';
}

/** The product page's form: adds to the cart in place instead of leaving the page. */
export function wireAddToCart(): void {
  for (const form of document.querySelectorAll<HTMLFormElement>('form[data-add-to-cart]')) {
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const item = JSON.parse(form.dataset['addToCart']!) as Omit<CartItem, 'quantity'>;
      const quantity = Number(new FormData(form).get('jumlah'));
      if (!Number.isInteger(quantity) || quantity < 1) return;
      addToCart(item, quantity);
      const status = form.querySelector<HTMLElement>('[data-cart-status]');
      if (status) status.textContent = status.dataset['added'] ?? '';
    });
  }
}

addEventListener('storage', (event) => {
  if (event.key === KEY) showCartCount();
});
