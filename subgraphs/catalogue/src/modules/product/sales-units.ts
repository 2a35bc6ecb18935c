/**
 * The words sellers sell by, in Indonesian as operators type them, with their English. Operators
 * type the unit freely (a pesantren may sell by the "besek" or the "tampah"), so this is a glossary
 * of the common ones, not a list the API enforces: a unit it does not know has no English, and
 * clients show the Indonesian word, marked as Indonesian.
 *
 * Sources: the units of the marketplace listings the demo catalogue was modelled on, and the
 * packaging words of BPOM and P-IRT labels (bungkus, sachet, botol, toples, kaleng, dus).
 */
export interface SalesUnitName {
  indonesian: string;
  english: string;
  /** English after a number other than 1: "12 jars". */
  englishPlural: string;
}

const GLOSSARY: readonly (readonly [indonesian: string, english: string, englishPlural?: string, ...aliases: string[]])[] = [
  ['bungkus', 'pack', 'packs', 'bks'],
  ['pak', 'pack', 'packs', 'pack'],
  ['botol', 'bottle', 'bottles', 'btl'],
  ['toples', 'jar', 'jars', 'stoples'],
  ['kotak', 'box', 'boxes'],
  ['dus', 'carton', 'cartons', 'dos', 'kardus'],
  ['kaleng', 'tin', 'tins'],
  ['sachet', 'sachet', 'sachets', 'saset'],
  ['kantong', 'bag', 'bags', 'kantung'],
  ['karung', 'sack', 'sacks'],
  ['kemasan', 'package', 'packages'],
  ['buah', 'piece', 'pieces', 'bh'],
  ['biji', 'piece', 'pieces'],
  ['pcs', 'piece', 'pieces', 'pc'],
  ['potong', 'piece', 'pieces', 'ptg'],
  ['lembar', 'sheet', 'sheets', 'lbr'],
  ['helai', 'piece', 'pieces'],
  ['pasang', 'pair', 'pairs', 'psg'],
  ['set', 'set', 'sets'],
  ['stel', 'set', 'sets', 'setel'],
  ['lusin', 'dozen', 'dozen'],
  ['kodi', 'score (20 pieces)', 'scores (20 pieces each)'],
  ['rim', 'ream', 'reams'],
  ['gulung', 'roll', 'rolls', 'rol'],
  ['ikat', 'bunch', 'bunches'],
  ['sisir', 'hand (of bananas)', 'hands (of bananas)'],
  ['tandan', 'bunch', 'bunches'],
  ['ekor', 'head', 'head'],
  ['buku', 'book', 'books'],
  ['eksemplar', 'copy', 'copies', 'eks'],
  ['porsi', 'serving', 'servings'],
  ['cup', 'cup', 'cups', 'gelas'],
  ['batang', 'bar', 'bars'],
  ['blok', 'block', 'blocks'],
  ['tabung', 'tube', 'tubes'],
  ['jeriken', 'jerrycan', 'jerrycans', 'jerigen', 'jirigen'],
  ['galon', 'gallon bottle', 'gallon bottles'],
  ['besek', 'woven basket', 'woven baskets'],
  ['tampah', 'tray', 'trays'],
  ['paket', 'bundle', 'bundles'],
  ['unit', 'unit', 'units'],
  ['kg', 'kg', 'kg', 'kilo', 'kilogram'],
  ['gram', 'gram', 'grams', 'g', 'gr'],
  ['ons', '100 g', '× 100 g'],
  ['liter', 'litre', 'litres', 'l', 'ltr'],
  ['ml', 'ml', 'ml', 'mililiter'],
  ['meter', 'metre', 'metres', 'm'],
];

const BY_WORD = new Map<string, SalesUnitName>();
for (const [indonesian, english, englishPlural = english, ...aliases] of GLOSSARY) {
  for (const word of [indonesian, ...aliases]) BY_WORD.set(word, { indonesian, english, englishPlural });
}

/** The glossary's words, one entry per Indonesian unit (aliases left out), for forms to offer. */
export const SALES_UNITS: readonly SalesUnitName[] = GLOSSARY.map(([indonesian, english, englishPlural = english]) => ({ indonesian, english, englishPlural }));

/**
 * A unit as the seller typed it, with its English when the glossary knows the word. Matched on the
 * word alone (case, spaces and a trailing full stop ignored), so "Toples" and "toples." are a jar.
 */
export function salesUnitName(unit: string): { indonesian: string; english: string | null; englishPlural: string | null } {
  const known = BY_WORD.get(unit.trim().toLowerCase().replace(/\.$/, ''));
  return { indonesian: unit, english: known?.english ?? null, englishPlural: known?.englishPlural ?? null };
}
