/**
 * Whether two sales units ("toples", "lusin") are the same to a shopper: a seller who capitalises
 * a unit or doubles a space has not changed what a price buys. Shared by the catalogue, which
 * refuses an order whose expected unit is another (PRICE_CHANGED), and the storefront's cart,
 * which says so before sending; the two must agree, or the cart would send what the API refuses.
 */
export function sameSalesUnit(a: string, b: string): boolean {
  return plainUnit(a) === plainUnit(b);
}

/**
 * The weight of one unit as shoppers read it: "250 g", "1,25 kg" (in English "1.25 kg"). Shared by
 * the storefront, the console and the seller's WhatsApp message, so a pack reads the same in each.
 */
export function formatWeight(grams: number, locale: 'id' | 'en' = 'id'): string {
  const number = new Intl.NumberFormat(locale === 'id' ? 'id-ID' : 'en-GB');
  return grams >= 1000 ? `${number.format(grams / 1000)} kg` : `${number.format(grams)} g`;
}

const plainUnit = (unit: string) => unit.normalize('NFC').replace(/\s+/g, ' ').trim().toLocaleLowerCase('id');
