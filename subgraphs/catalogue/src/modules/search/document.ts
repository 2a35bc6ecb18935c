import { DEMO_NOTICE } from '@opop/demo-data';
import { EAST_JAVA_REGENCIES, regencyDisplayName } from '@opop/identifiers';
import type { CategoryDirectory } from '../category/category.directory.ts';
import type { Product } from '../product/product.entity.ts';
import type { Pillar, Seller } from '../seller/seller.entity.ts';
import { indexTerms, sellerKeywords } from './analyzer.ts';
import { priceRangeOf, type ProductDocument } from './search-index.ts';

const REGENCY_NAMES = new Map(EAST_JAVA_REGENCIES.map((regency) => [regency.code, regencyDisplayName(regency)]));

/** What a search document is made of, as plain values, so tests and benchmarks can build one without the database. */
export interface DocumentSource {
  id: string;
  nameIndonesian: string;
  nameEnglish: string | null;
  descriptionIndonesian: string;
  descriptionEnglish: string | null;
  /** The category path from the root down, with both names. */
  categories: readonly { slug: string; nameIndonesian: string; nameEnglish?: string | null | undefined }[];
  seller: { name: string; pesantrenId: string; regencyCode: string; pillar: Pillar };
  halalCertified: boolean;
  featured: boolean;
  stock: number;
  priceRupiah: number;
  createdAt: Date;
  viewCount: number;
}

/**
 * A description without the demo notice every generated product carries ("Data demo: produk dan
 * harga ini contoh…"): the same sentence in every product says nothing about any of them.
 */
const withoutNotice = (text: string) => text.replace(DEMO_NOTICE.id, '').replace(DEMO_NOTICE.en, '').trim();

export function documentOf(source: DocumentSource): ProductDocument {
  // The leaf first: its words sit earliest, so "minuman" ranks herbal drinks (Madu & Minuman Herbal) above every food (Makanan & Minuman).
  const categoryNames = [...source.categories].reverse().flatMap((c) => [c.nameIndonesian, c.nameEnglish ?? '']).join(' ').replace(/\s+/g, ' ').trim();
  const regencyName = REGENCY_NAMES.get(source.seller.regencyCode) ?? '';
  const sellerWords = sellerKeywords(source.seller.name);
  return {
    id: source.id,
    name: source.nameIndonesian,
    nameEnglish: source.nameEnglish ?? '',
    description: withoutNotice(source.descriptionIndonesian),
    descriptionEnglish: withoutNotice(source.descriptionEnglish ?? ''),
    categoryNames,
    categorySlugs: source.categories.map((c) => c.slug),
    sellerName: source.seller.name,
    sellerKeywords: sellerWords,
    pesantrenId: source.seller.pesantrenId,
    regencyCode: source.seller.regencyCode,
    regencyName,
    pillar: source.seller.pillar,
    halalCertified: source.halalCertified,
    featured: source.featured,
    inStock: source.stock > 0,
    priceRupiah: source.priceRupiah,
    priceRange: priceRangeOf(source.priceRupiah),
    createdAt: source.createdAt.getTime(),
    popularity: source.viewCount,
    searchTerms: indexTerms([source.nameIndonesian, source.nameEnglish ?? '', categoryNames, regencyName, sellerWords].join(' ')).join(' '),
  };
}

/** The search document of a listed product, from its row, its seller and the category tree. */
export function toDocument(product: Product, seller: Seller, categories: CategoryDirectory): ProductDocument {
  const category = categories.get(product.category.id)!;
  return documentOf({
    id: product.id,
    nameIndonesian: product.nameIndonesian,
    nameEnglish: product.nameEnglish ?? null,
    descriptionIndonesian: product.descriptionIndonesian,
    descriptionEnglish: product.descriptionEnglish ?? null,
    categories: [...categories.path(category)].map((slug) => categories.bySlug(slug)!),
    seller,
    halalCertified: product.halalCertificateNumber !== null,
    featured: product.curationStatus === 'FEATURED',
    stock: product.stock,
    priceRupiah: product.priceRupiah,
    createdAt: product.createdAt,
    viewCount: product.viewCount,
  });
}
