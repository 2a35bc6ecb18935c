/**
 * Whether two sales units ("toples", "lusin") are the same to a shopper: a seller who capitalises
 * a unit or doubles a space has not changed what a price buys. Shared by the catalogue, which
 * refuses an order whose expected unit is another (PRICE_CHANGED), and the storefront's cart,
 * which says so before sending; the two must agree, or the cart would send what the API refuses.
 */
export function sameSalesUnit(a: string, b: string): boolean {
  return plainUnit(a) === plainUnit(b);
}

const plainUnit = (unit: string) => unit.normalize('NFC').replace(/\s+/g, ' ').trim().toLocaleLowerCase('id');
