import { EAST_JAVA_REGENCIES, regencyDisplayName } from '@opop/identifiers';
import type { CategoryDirectory } from '../category/category.directory.ts';
import type { Product } from '../product/product.entity.ts';
import type { Seller } from '../seller/seller.entity.ts';
import { indexTerms } from './analyzer.ts';
import { priceRangeOf, type ProductDocument } from './search-index.ts';

const REGENCY_NAMES = new Map(EAST_JAVA_REGENCIES.map((regency) => [regency.code, regencyDisplayName(regency)]));

/** The search document of a listed product, from its row, its seller and the category tree. */
export function toDocument(product: Product, seller: Seller, categories: CategoryDirectory): ProductDocument {
  const category = categories.get(product.category.id)!;
  const path = [...categories.path(category)].map((slug) => categories.bySlug(slug)!);
  const categoryNames = path.flatMap((c) => [c.nameIndonesian, c.nameEnglish ?? '']).join(' ');
  const regencyName = REGENCY_NAMES.get(seller.regencyCode) ?? '';
  return {
    id: product.id,
    name: product.nameIndonesian,
    nameEnglish: product.nameEnglish ?? '',
    description: [product.descriptionIndonesian, product.descriptionEnglish ?? ''].join(' ').trim(),
    categoryNames,
    categorySlugs: path.map((c) => c.slug),
    sellerName: seller.name,
    pesantrenId: seller.pesantrenId,
    regencyCode: seller.regencyCode,
    regencyName,
    pillar: seller.pillar,
    halalCertified: product.halalCertificateNumber !== null,
    featured: product.curationStatus === 'FEATURED',
    inStock: product.stock > 0,
    priceRupiah: product.priceRupiah,
    priceRange: priceRangeOf(product.priceRupiah),
    createdAt: product.createdAt.getTime(),
    popularity: product.viewCount,
    searchTerms: indexTerms([product.nameIndonesian, product.nameEnglish ?? '', categoryNames, seller.name, regencyName].join(' ')).join(' '),
  };
}
