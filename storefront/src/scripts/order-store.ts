/**
 * The shopper's order requests, kept in this browser like the cart: each with the secret of its
 * status link, so a reload, a closed tab or a lost confirmation screen loses nothing. Nothing
 * personal is kept here (no name, phone or address): the number, the seller and the link.
 */
export interface KeptOrder {
  number: string;
  /** The status link's secret (OrderRequest.statusToken). */
  token: string;
  seller: string;
  totalRupiah: number;
  /** ISO time it was sent. */
  sentAt: string;
}

const KEY = 'opop-orders-v1';
/** Enough for months of shopping; the oldest go first. */
const KEEP = 30;

export function readOrders(): KeptOrder[] {
  try {
    const stored = JSON.parse(localStorage.getItem(KEY) ?? '[]') as unknown;
    return Array.isArray(stored) ? (stored as KeptOrder[]).filter((order) => order && typeof order.token === 'string' && typeof order.number === 'string') : [];
  } catch {
    return [];
  }
}

/** Adds or refreshes orders, newest first; an order already kept keeps its place in the list. */
export function keepOrders(orders: readonly KeptOrder[]): void {
  const kept = readOrders();
  const tokens = new Set(kept.map((order) => order.token));
  const fresh = orders.filter((order) => !tokens.has(order.token));
  localStorage.setItem(KEY, JSON.stringify([...fresh, ...kept].slice(0, KEEP)));
}

export function forgetOrder(token: string): void {
  localStorage.setItem(KEY, JSON.stringify(readOrders().filter((order) => order.token !== token)));
}

/** The status link of an order: the secret after #, so it never reaches a server log or a Referer header. */
export const statusLink = (ordersBase: string, token: string) => `${ordersBase}#${token}`;
