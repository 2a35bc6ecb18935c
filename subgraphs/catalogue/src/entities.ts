import { Category } from './modules/category/category.entity.ts';
import { CurationEvent } from './modules/curation/curation-event.entity.ts';
import { OrderCheckout, OrderLine, OrderRequest } from './modules/order/order.entity.ts';
import { Photo, RemovedVariant } from './modules/photo/photo.entity.ts';
import { Product } from './modules/product/product.entity.ts';
import { SearchIndexCursor, SearchOutboxEvent } from './modules/search/outbox.entity.ts';
import { ProductView } from './modules/search/product-view.entity.ts';
import { Seller } from './modules/seller/seller.entity.ts';

export const entities = [Category, Seller, Product, CurationEvent, SearchOutboxEvent, SearchIndexCursor, ProductView, OrderCheckout, OrderRequest, OrderLine, Photo, RemovedVariant];
