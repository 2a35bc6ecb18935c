/**
 * The words shoppers use for our products, Indonesian and English. Each group is a set of
 * interchangeable words (after normalisation): searching one finds the others.
 */
export const SYNONYM_GROUPS: readonly (readonly string[])[] = [
  ['keripik', 'chip', 'chips'],
  ['kerupuk', 'cracker', 'crackers'],
  ['camilan', 'cemilan', 'snack', 'snacks'],
  ['kopi', 'coffee'],
  ['teh', 'tea'],
  ['madu', 'honey'],
  ['air', 'water'],
  ['beras', 'rice'],
  ['sabun', 'soap'],
  ['minyak', 'oil'],
  ['telur', 'egg', 'eggs'],
  ['kue', 'cake', 'cakes', 'cookie', 'cookies'],
  ['jahe', 'ginger'],
  ['kunyit', 'turmeric'],
  ['kacang', 'peanut', 'peanuts', 'nut', 'nuts'],
  ['pisang', 'banana'],
  ['apel', 'apple'],
  ['singkong', 'ketela', 'cassava'],
  ['garam', 'salt'],
  ['susu', 'milk'],
  ['kambing', 'goat'],
  ['tas', 'bag'],
  ['kaligrafi', 'calligraphy'],
  ['kitab', 'buku', 'book', 'books'],
  ['pupuk', 'kompos', 'fertiliser', 'fertilizer', 'compost'],
  ['ikan', 'fish'],
  ['bandeng', 'milkfish'],
  ['udang', 'prawn', 'prawns', 'shrimp'],
  ['tenun', 'woven'],
  ['baju', 'pakaian', 'busana', 'shirt', 'clothing'],
  ['kerudung', 'jilbab', 'hijab', 'headscarf'],
  ['peci', 'songkok', 'kopiah', 'cap'],
  ['sarung', 'sarong'],
  ['tasbih', 'beads'],
  ['sambal', 'chilli', 'chili'],
  ['asap', 'smoked'],
  ['jamu', 'herbal'],
];

/**
 * Spellings people type for the word we index: dropped schwa (kripik), regional forms (sambel),
 * old spellings are handled by the normaliser instead.
 */
export const SPELLING_VARIANTS: Readonly<Record<string, string>> = {
  kripik: 'keripik',
  krupuk: 'kerupuk',
  sambel: 'sambal',
  tempeh: 'tempe',
  cemilan: 'camilan',
  kopiah: 'peci',
  jajan: 'jajanan',
  oleh2: 'oleh',
  sidoharjo: 'sidoarjo',
  bojonegara: 'bojonegoro',
  probolingo: 'probolinggo',
  tulung: 'tulungagung',
};

/**
 * Words that look affixed but are roots: stripping them would lose the product (keripik is not
 * ke- + ripik, telur is not te- + lur).
 */
export const PROTECTED_ROOTS: ReadonlySet<string> = new Set([
  'keripik', 'kerupuk', 'kelapa', 'kecap', 'kedelai', 'kemeja', 'kerudung', 'ketan', 'kemiri', 'kenari', 'ketela', 'kemangi',
  'peci', 'pecel', 'petis', 'pepaya', 'pedas', 'permen', 'pelangi', 'perak', 'pensil',
  'bebek', 'beras', 'berkah', 'beludru', 'belimbing', 'bening',
  'teh', 'telur', 'tempe', 'tenun', 'terasi', 'terong', 'tepung', 'teri',
  'sereh', 'selai', 'serbuk', 'sepatu', 'sedap', 'segar', 'semangka', 'sekar',
  'dodol', 'dompet', 'dingin',
  'madu', 'manis', 'mete', 'merah', 'minyak', 'makmur', 'mangga', 'melon',
  'kopi', 'kaligrafi', 'kain', 'kaos', 'kacang', 'kambing', 'kunyit', 'kue',
  'sabun', 'sarung', 'santri', 'pesantren', 'sambal', 'susu', 'sapi',
  'batik', 'bandeng', 'bawang', 'brem', 'bumbu', 'buku',
  'garam', 'gamis', 'jahe', 'jamu', 'jeruk', 'pisang', 'apel', 'pupuk', 'kompos', 'tasbih', 'songkok',
  'ikan', 'udang', 'abon', 'wingko', 'rengginang', 'emping', 'nastar', 'kastengel',
  'arabika', 'robusta', 'ijen', 'dampit', 'klanceng', 'etawa', 'gedog', 'madura', 'organik', 'herbal', 'original',
  'diniyah', 'tahfidz', 'kopontren', 'koperasi', 'produk', 'premium', 'spesial',
  'kemas', 'kering', 'kental', 'kerja', 'benang', 'dinding', 'melati', 'mewah',
]);

/** Function words that say nothing about a product ("Diproduksi oleh …"); neither indexed nor searched. */
export const STOPWORDS: ReadonlySet<string> = new Set([
  'yang', 'dan', 'di', 'ke', 'dari', 'untuk', 'dengan', 'oleh', 'atau', 'ini', 'itu', 'pada', 'dalam', 'juga', 'tanpa', 'bisa', 'sudah', 'akan', 'per',
  'the', 'and', 'of', 'for', 'with', 'by', 'a', 'an', 'in', 'to', 'from', 'or', 'is', 'its', 'no', 'not',
]);
