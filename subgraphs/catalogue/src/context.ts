import DataLoader from 'dataloader';
import { type Connection, loaderById, type SharedCounts, loaderGroupedBy, loaderOfGroups, type SubgraphRequestContext, type EntityReferences } from '@opop/server-kit';
import type { CategoryDirectory } from './modules/category/category.directory.ts';
import type { CurationEvent } from './modules/curation/curation-event.entity.ts';
import { CurationRepository } from './modules/curation/curation.repository.ts';
import { CurationService } from './modules/curation/curation.service.ts';
import type { OrderLine } from './modules/order/order.entity.ts';
import { OrderRepository } from './modules/order/order.repository.ts';
import { OrderService } from './modules/order/order.service.ts';
import { DEFAULT_ORDER_POLICY, type OrderPolicy } from './modules/order/order-policy.ts';
import { Photo } from './modules/photo/photo.entity.ts';
import type { PhotoPipeline } from './modules/photo/photo.pipeline.ts';
import { PhotoService } from './modules/photo/photo.service.ts';
import { ProgrammeRepository } from './modules/programme/programme.repository.ts';
import type { Product, ProductRecord } from './modules/product/product.entity.ts';
import { ProductRepository, type ProductOwner, type ProductSort } from './modules/product/product.repository.ts';
import { ProductService } from './modules/product/product.service.ts';
import type { SearchIndexer } from './modules/search/indexer.ts';
import { SearchService } from './modules/search/search.service.ts';
import type { Seller } from './modules/seller/seller.entity.ts';
import { SellerRepository } from './modules/seller/seller.repository.ts';
import { SellerService } from './modules/seller/seller.service.ts';

/** How catalogue sees the pesantren subgraph's entity: by key only. */
export interface PesantrenReference {
  id: string;
}

export interface FirstPageKey {
  owner: ProductOwner;
  id: string;
  first: number;
  sort: ProductSort;
}

export interface CatalogueContext extends SubgraphRequestContext {
  categories: CategoryDirectory;
  products: ProductRepository;
  sellers: SellerRepository;
  orders: OrderRepository;
  /** The programme's figures (programmeStatistics). */
  programme: ProgrammeRepository;
  search: SearchIndexer;
  /** Writes, one service per module, acting as the request's caller. */
  productService: ProductService;
  curationService: CurationService;
  sellerService: SellerService;
  orderService: OrderService;
  searchService: SearchService;
  photoService: PhotoService;
  /** Photo uploads and processing, and the store that serves them. */
  photos: PhotoPipeline;
  /** Every batched read of a request goes through these: one query per kind, however many items ask. */
  loaders: {
    productById: DataLoader<string, ProductRecord | null>;
    sellerById: DataLoader<string, Seller | null>;
    sellersByPesantren: DataLoader<string, Seller[]>;
    curationHistory: DataLoader<string, CurationEvent[]>;
    orderLines: DataLoader<string, OrderLine[]>;
    photosOfProduct: DataLoader<string, Photo[]>;
    firstProductPage: DataLoader<FirstPageKey, Connection<Product>, string>;
  };
  /** Listed products per category id, shared by the process's requests (SharedCounts). */
  listedCountsByCategory: () => Promise<Map<string, number>>;
  /** Orders whose status token this request may answer: those it made (or replayed) or was given the token of. */
  issuedStatusTokens: Set<string>;
  /** The time curation steps are recorded at and waiting times are measured to (tests set it). */
  now: () => Date;
}

export function createCatalogueContext(
  base: SubgraphRequestContext,
  categories: CategoryDirectory,
  search: SearchIndexer,
  pesantren: EntityReferences | undefined,
  photos: PhotoPipeline,
  counts: SharedCounts,
  orderPolicy: OrderPolicy = DEFAULT_ORDER_POLICY,
  now: () => Date = () => new Date(),
): CatalogueContext {
  const products = new ProductRepository(base.em, categories, counts);
  const sellers = new SellerRepository(base.em);
  const orders = new OrderRepository(base.em);
  const curation = new CurationRepository(base.em);
  const { em, identity, logger } = base;
  return {
    ...base,
    categories,
    products,
    sellers,
    orders,
    programme: new ProgrammeRepository(base.em),
    search,
    productService: new ProductService({ em, identity, logger, categories, products, sellers, now }),
    curationService: new CurationService({ em, identity, logger, categories, products, now }),
    sellerService: new SellerService({ em, identity, logger, sellers, pesantren }),
    orderService: new OrderService({ em, identity, logger, orders, search, policy: orderPolicy, network: base.visitor?.network ?? null, now }),
    issuedStatusTokens: new Set(),
    searchService: new SearchService(em, search),
    photoService: new PhotoService({ em, identity, logger, products, pipeline: photos }),
    photos,
    loaders: {
      productById: loaderById((ids) => products.findByIdsToRead(ids)),
      sellerById: loaderById((ids) => sellers.findByIds(ids)),
      sellersByPesantren: loaderOfGroups((pesantrenIds) => sellers.firstOfPesantren(pesantrenIds)),
      curationHistory: loaderOfGroups((productIds) => curation.historyOf(productIds)),
      orderLines: loaderGroupedBy((orderIds) => orders.linesOf(orderIds), (line) => line.order.id),
      photosOfProduct: loaderGroupedBy(
        (productIds) => em.find(Photo, { product: { $in: [...productIds] } }, { orderBy: { position: 'asc', createdAt: 'asc' } }),
        (photo) => photo.product.id,
      ),
      firstProductPage: new DataLoader(
        async (keys) => {
          const pages = new Map<string, Connection<Product>>();
          for (const group of Map.groupBy(keys, (key) => `${key.owner}|${key.first}|${key.sort}`).values()) {
            const { owner, first, sort } = group[0]!;
            const result = await products.firstPages(owner, group.map((key) => key.id), first, sort);
            for (const [id, page] of result) pages.set(`${owner}|${id}|${first}|${sort}`, page);
          }
          return keys.map((key) => pages.get(`${key.owner}|${key.id}|${key.first}|${key.sort}`)!);
        },
        { cacheKeyFn: (key) => `${key.owner}|${key.id}|${key.first}|${key.sort}` },
      ),
    },
    listedCountsByCategory: () => counts.get('listed-by-category', () => products.listedCountsByCategory()),
    now,
  };
}
